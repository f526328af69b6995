'use client';

import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { DropGroupKeyError, parseDropGroupParams, type DropGroupKey } from '../../lib/api/drop-groups';
import type { DropGroupDetail } from '../../lib/api/drops';
import { dropReasonExplanation, dropReasonText } from '../../lib/flow/drop-reasons';
import { DenyingPolicies } from './denying-policies';
import { destinationLabel, endpointLabel, minuteText, portLabel } from './drop-format';
import { dropGroupQuery } from './drops-query';
import { FixedClusterPicker } from '../filter-bar/cluster-picker';
import { ShareButton } from '../investigations/share-button';
import { GroupCommand } from './group-command';
import { SampleFlows } from './sample-flows';
import { SuggestedPolicyPanel } from './suggested-policy-panel';

type Parsed = { ok: true; key: DropGroupKey; since?: string; until?: string } | { ok: false; error: string };

function parse(params: URLSearchParams): Parsed {
  try {
    return { ok: true, key: parseDropGroupParams(params), since: params.get('since') || undefined, until: params.get('until') || undefined };
  } catch (e) {
    if (e instanceof DropGroupKeyError) return { ok: false, error: e.message };
    throw e;
  }
}

function Summary({ d, timeZone }: { d: DropGroupDetail; timeZone: string }) {
  const nowMs = Date.parse(d.until);
  return (
    <dl className="stat-grid panel">
      <div className="stat"><dt>Drops in window</dt><dd>{d.count.toLocaleString()}</dd></div>
      <div className="stat"><dt>First seen</dt><dd>{d.firstSeen ? minuteText(d.firstSeen, timeZone, nowMs) : '\u2014'}</dd></div>
      <div className="stat"><dt>Last seen</dt><dd>{d.lastSeen ? minuteText(d.lastSeen, timeZone, nowMs) : '\u2014'}</dd></div>
      <div className="stat"><dt>Port</dt><dd className="mono">{portLabel(d.key)}</dd></div>
    </dl>
  );
}

function Detail({ d, timeZone }: { d: DropGroupDetail; timeZone: string }) {
  return (
    <>
      <Summary d={d} timeZone={timeZone} />
      <p className="muted">
        Window {new Date(d.since).toLocaleString()} to {new Date(d.until).toLocaleString()}; counts and first/last seen come
        from per-minute rollups (to the minute).
      </p>
      <section className="drop-section drop-explanation" aria-labelledby="drop-reason-heading">
        <h2 id="drop-reason-heading">Why it was dropped: {dropReasonText(d.key.dropReason)}</h2>
        <p>{dropReasonExplanation(d.key.dropReason)}</p>
        <p className="muted mono">{d.key.dropReason}</p>
      </section>
      <DenyingPolicies d={d} />
      <GroupCommand d={d} />
      <SuggestedPolicyPanel suggestion={d.suggestion} />
      <SampleFlows d={d} timeZone={timeZone} />
    </>
  );
}

function GroupPage({ group, timeZone }: { group: Extract<Parsed, { ok: true }>; timeZone: string }) {
  const query = useQuery(dropGroupQuery(group.key, group));
  const { key } = group;
  return (
    <div className="drop-group-page">
      <p><a href="/drops">← Drop inbox</a></p>
      <h1>
        Drop group: <span className="mono">{endpointLabel(key.source)}</span> → <span className="mono">{destinationLabel(key)}</span>
      </h1>
      <FixedClusterPicker
        clusters={[key.source.cluster, key.destination.cluster]}
        reason="a drop group is one source and one destination: their clusters are part of its key"
      />
      {query.data && (
        <ShareButton kind="drop-group" request={{ q: '', since: query.data.since, until: query.data.until }} view={{ group: key }} />
      )}
      {query.isPending && <p className="muted">Loading drop group…</p>}
      {query.isError && <p role="alert" className="error-line">{query.error.message}</p>}
      {query.data && <Detail d={query.data} timeZone={timeZone} />}
    </div>
  );
}

/** The /drops/group page body: what a group is, why it drops, who denies it, and what would allow it. */
export function DropGroupView() {
  const searchParams = useSearchParams();
  const parsed = useMemo(() => parse(new URLSearchParams(searchParams.toString())), [searchParams]);
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  if (parsed.ok) return <GroupPage group={parsed} timeZone={timeZone} />;
  return (
    <>
      <h1>Drop group</h1>
      <p role="alert" className="error-line">This link does not name a drop group: {parsed.error}</p>
      <p><a href="/drops">Back to the drop inbox</a></p>
    </>
  );
}
