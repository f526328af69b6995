import { describe, expect, it } from 'vitest';
import { seededRandom } from './flows-query-gen';
import {
  investigationFilters, investigationFlowsUrl, parseInvestigationCreate, parseInvestigationFlowsQuery, parseInvestigationId,
  parseInvestigationPreview, parseInvestigationsListQuery,
} from './investigations';
import { checkMapSnapshot, INVESTIGATION_MAP_MAX_BYTES } from './investigation-view';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const GROUP = {
  source: { cluster: '', namespace: 'shop', entity: 'frontend' }, destination: { cluster: '', namespace: 'shop', entity: 'api' },
  destinationName: '', port: 8080, protocol: 'TCP', dropReason: 'POLICY_DENIED', policies: 'shop/api-ingress',
};
const MAP = {
  since: '2026-01-15T11:00:00Z', until: '2026-01-15T12:00:00Z', resolution: 'minute', truncated: false, timeline: [],
  nodes: [{ id: 'a', kind: 'workload', name: 'a', namespace: 'ns', cluster: '', services: [], worldNames: [] }],
  edges: [{ id: 'a->a', source: 'a', target: 'a', flows: 1, flowsPerS: 0, verdicts: [], ports: [], l7: [], dropReasons: [], policies: [] }],
};

function create(body: Record<string, unknown>) {
  return parseInvestigationCreate({ kind: 'flows', title: 'drops in shop', since: '1h', ...body }, NOW_MS);
}

describe('parseInvestigationCreate', () => {
  it('resolves a relative window at creation and keeps the filter as canonical flags', () => {
    const r = create({ q: "--verdict DROPPED -n shop", notes: '  first line\nsecond  \n' });
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'flows', title: 'drops in shop', notes: '  first line\nsecond', q: '--namespace shop --verdict DROPPED',
        filters: investigationFilters('--namespace shop --verdict DROPPED'),
        since: '2026-01-15T11:00:00Z', until: '2026-01-15T12:00:00Z', view: {},
      },
    });
  });

  it('takes --since and --until from the flags, and absolute bounds as given', () => {
    const r = create({ since: undefined, q: '--since 2026-01-15T10:00:00.123456789+01:00 --until 5m' });
    expect(r.ok && [r.value.since, r.value.until, r.value.q]).toEqual(['2026-01-15T09:00:00.123456789Z', '2026-01-15T11:55:00Z', '']);
  });

  it('derives a drop group\'s filter from its key when no flags are given', () => {
    const r = create({ kind: 'drop-group', view: { group: GROUP } });
    expect(r.ok && r.value.q).toBe('--from-namespace shop --to-namespace shop --to-port 8080 --from-workload frontend --to-workload api --verdict DROPPED --drop-reason-desc POLICY_DENIED --protocol tcp');
  });

  it.each([
    [/^kind: expected one of flows, map, drop-group/, { kind: 'graph' }],
    [/^title: required/, { title: '   ' }],
    [/^title: longer than 200/, { title: 'x'.repeat(201) }],
    [/^notes: expected a string/, { notes: 7 }],
    [/^since: required/, { since: undefined }],
    [/^since: failed to convert yesterday/, { since: 'yesterday' }],
    [/^since \(.*\) is after until/, { since: '1h', until: '2h' }],
    [/is after until/, { since: '-1h' }],
    [/invalid argument "dropped" for "--verdict" flag/, { q: '--verdict dropped' }],
    [/--follow is not supported/, { q: '--follow' }],
    [/^q: unterminated/, { q: "--pod 'x" }],
    [/^view: expected a JSON object/, { view: [] }],
    [/^view.flow: expected a string/, { view: { flow: 1 } }],
    [/^view: larger than 64 KiB/, { view: { pad: 'x'.repeat(70_000) } }],
    [/^view.group: expected the drop group's key/, { kind: 'drop-group', view: {} }],
    [/^view.group.dropReason: unknown drop reason "NOPE"/, { kind: 'drop-group', view: { group: { ...GROUP, dropReason: 'NOPE' } } }],
    [/^view.group.port: expected 0 to 65535/, { kind: 'drop-group', view: { group: { ...GROUP, port: 70000 } } }],
    [/^map: expected the service map response/, { kind: 'map', map: 'the map' }],
    [/^map.edges\[0\].target: no node "b"/, { kind: 'map', map: { ...MAP, edges: [{ ...MAP.edges[0], target: 'b' }] } }],
    [/^view.hide: expected some of host/, { kind: 'map', map: MAP, view: { hide: ['everything'] } }],
    [/^map: only for kind map/, { map: MAP }],
  ])('refuses a body whose error matches %s', (message, body) => {
    const r = create(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('never throws, whatever the body', () => {
    const random = seededRandom(6);
    const values = [null, 0, -1, 1.5, '', ' ', '1h', 'x', true, [], {}, { key: 1 }, '--verdict DROPPED', MAP, GROUP, '\u0000'];
    const pick = () => values[Math.floor(random() * values.length)];
    for (let i = 0; i < 2000; i++) {
      const body = Object.fromEntries(['kind', 'title', 'notes', 'q', 'since', 'until', 'view', 'map'].filter(() => random() < 0.6).map((k) => [k, pick()]));
      if (random() < 0.3) body.kind = ['flows', 'map', 'drop-group'][i % 3];
      expect(() => parseInvestigationCreate(body, NOW_MS)).not.toThrow();
    }
    for (const body of [undefined, null, 'x', 1, [], [{}]]) expect(parseInvestigationCreate(body, NOW_MS).ok).toBe(false);
  });
});

describe('the other parsers', () => {
  it('reads ids, flow pages, list limits and previews, refusing bad values with a message', () => {
    expect(parseInvestigationId('AAAAAAAAAAAAAAAAAAAAAA')).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    for (const bad of ['', 'short', 'AAAAAAAAAAAAAAAAAAAAA/', `${'A'.repeat(22)}x`]) expect(parseInvestigationId(bad)).toBeUndefined();
    expect(parseInvestigationFlowsQuery(new URLSearchParams('limit=10&format=csv'))).toEqual({ ok: true, value: { limit: 10, format: 'csv' } });
    expect(parseInvestigationFlowsQuery(new URLSearchParams('format=xml'))).toMatchObject({ ok: false, error: 'format: expected json, jsonpb or csv, got "xml"' });
    expect(parseInvestigationFlowsQuery(new URLSearchParams('cursor=%27'))).toMatchObject({ ok: false, error: 'cursor: not base64url' });
    expect(parseInvestigationFlowsQuery(new URLSearchParams('limit=0'))).toMatchObject({ ok: false, error: /^limit: / });
    expect(parseInvestigationsListQuery(new URLSearchParams(''))).toEqual({ ok: true, value: { limit: 200 } });
    expect(parseInvestigationsListQuery(new URLSearchParams('limit=1001'))).toMatchObject({ ok: false });
    expect(parseInvestigationPreview(new URLSearchParams('q=-n+shop&since=30m'), NOW_MS)).toMatchObject({ ok: true, value: { since: '2026-01-15T11:30:00Z', until: '2026-01-15T12:00:00Z' } });
    expect(parseInvestigationPreview(new URLSearchParams('q=-n+shop'), NOW_MS)).toMatchObject({ ok: false, error: /^since: required/ });
    expect(investigationFlowsUrl('AAAAAAAAAAAAAAAAAAAAAA', { format: 'jsonpb' })).toBe('/api/investigations/AAAAAAAAAAAAAAAAAAAAAA/flows?format=jsonpb');
  });

  it('caps the size of a map snapshot', () => {
    const big = { ...MAP, nodes: [{ ...MAP.nodes[0], worldNames: ['x'.repeat(INVESTIGATION_MAP_MAX_BYTES)] }] };
    expect(() => checkMapSnapshot(big)).toThrow(/^map: larger than 4 MiB/);
    expect(checkMapSnapshot(MAP)).toBe(MAP);
  });
});
