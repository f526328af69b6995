import { describe, expect, it } from 'vitest';
import type { Flow } from '../flow/flow';
import { csvCell, csvRecord, flowToCsvRecord, flowsCsvHeader, l7Summary, neutralizeFormula, policySummary } from './flows-csv';

/** Splits one CSV record the RFC 4180 way (enough for these tests: no embedded line ends across records). */
function parseRecord(record: string): string[] {
  expect(record.endsWith('\r\n')).toBe(true);
  const text = record.slice(0, -2);
  const cells: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        cell += text.slice(i, q);
        if (text[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 2;
          break;
        }
      }
      cells.push(cell);
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? text.length : comma;
      cells.push(text.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

const dropped: Flow = {
  time: '2024-05-01T12:00:00.123456789Z',
  verdict: 'DROPPED',
  IP: { source: '10.0.0.5', destination: '10.0.1.9', ipVersion: 'IPv4' },
  l4: { TCP: { source_port: 40000, destination_port: 6379, flags: { SYN: true } } },
  source: { namespace: 'shop', pod_name: 'frontend-1' },
  destination: { namespace: 'data', pod_name: 'redis-0' },
  node_name: 'demo/worker-1',
  drop_reason: 133,
  drop_reason_desc: 'POLICY_DENIED',
  ingress_denied_by: [{ name: 'redis-ingress', namespace: 'data' }],
};

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %s', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('neutralizes only the first character', () => {
    expect(neutralizeFormula('x-=y')).toBe('x-=y');
    expect(neutralizeFormula('=1')).toBe("'=1");
  });
});

describe('flowToCsvRecord', () => {
  it('has the header columns in order', () => {
    expect(flowsCsvHeader()).toBe('time,node,source,destination,dst port,protocol,verdict,drop reason,l7 summary,policy\r\n');
  });

  it('writes a policy drop', () => {
    expect(parseRecord(flowToCsvRecord(dropped))).toEqual([
      '2024-05-01T12:00:00.123456789Z', 'demo/worker-1', 'shop/frontend-1', 'data/redis-0', '6379', 'TCP', 'DROPPED',
      'POLICY_DENIED', '', 'ingress denied by: data/redis-ingress',
    ]);
  });

  it('uses IPs for endpoints without a pod and the response node name as a fallback', () => {
    const flow: Flow = { time: '2024-05-01T12:00:00Z', verdict: 'FORWARDED', IP: { source: '1.2.3.4', destination: '10.0.0.1' }, l4: { ICMPv4: { type: 8 } } };
    expect(parseRecord(flowToCsvRecord(flow, 'node-a'))).toEqual([
      '2024-05-01T12:00:00Z', 'node-a', '1.2.3.4', '10.0.0.1', '', 'ICMPv4', 'FORWARDED', '', '', '',
    ]);
  });

  it('neutralizes formulas that arrive in flow fields', () => {
    const hostile: Flow = {
      ...dropped,
      source: { namespace: undefined, pod_name: '=cmd|"/c calc"!A1' },
      l7: { type: 'REQUEST', http: { protocol: 'HTTP/1.1', method: 'GET', url: 'http://x/?q=1,2' } },
      node_name: '@evil',
      ingress_denied_by: undefined,
    };
    const cells = parseRecord(flowToCsvRecord(hostile));
    expect(cells[1]).toBe("'@evil");
    expect(cells[2]).toBe(`'=cmd|"/c calc"!A1`);
    expect(cells[8]).toBe('HTTP/1.1 GET http://x/?q=1,2');
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('keeps records on one physical line unless a cell holds a line end (then quoted)', () => {
    const flow: Flow = { ...dropped, node_name: 'a\r\nb' };
    const record = flowToCsvRecord(flow);
    expect(record).toContain('"a\r\nb"');
  });
});

describe('l7Summary', () => {
  it('summarizes HTTP, DNS and Kafka like Hubble', () => {
    expect(l7Summary({ type: 'REQUEST', http: { protocol: 'HTTP/1.1', method: 'GET', url: 'http://a/b' } })).toBe('HTTP/1.1 GET http://a/b');
    expect(l7Summary({ type: 'RESPONSE', latency_ns: '5000000', http: { protocol: 'HTTP/1.1', code: 503, method: 'GET', url: 'http://a/b' } }))
      .toBe('HTTP/1.1 503 5ms (GET http://a/b)');
    expect(l7Summary({ type: 'REQUEST', dns: { query: 'example.com.', qtypes: ['A'] } })).toBe('DNS Query example.com. A');
    expect(l7Summary({ type: 'RESPONSE', dns: { query: 'example.com.', qtypes: ['A'], ips: ['1.2.3.4'], ttl: 30 } }))
      .toBe('DNS Answer "1.2.3.4" TTL: 30 (Query example.com. A)');
    expect(l7Summary({ type: 'RESPONSE', dns: { query: 'x.', qtypes: ['A'], rcode: 3, ttl: 5 } })).toBe('DNS Answer RCode: Non-Existent Domain TTL: 5 (Query x. A)');
    expect(l7Summary({ type: 'REQUEST', kafka: { api_key: 'fetch', correlation_id: 7, topic: 't' } })).toBe("Kafka request fetch correlation id 7 topic 't'");
    expect(l7Summary(undefined)).toBe('');
  });
});

describe('policySummary and csvRecord', () => {
  it('lists every policy', () => {
    expect(policySummary({ egress_allowed_by: [{ name: 'a', namespace: 'n' }, { name: 'b' }] })).toBe('egress allowed by: n/a; egress allowed by: b');
  });

  it('joins cells with commas and ends with CRLF', () => {
    expect(csvRecord(['a', 'b c', '"'])).toBe('a,b c,""""\r\n');
  });
});
