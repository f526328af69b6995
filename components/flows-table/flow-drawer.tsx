'use client';

import { useEffect, useMemo } from 'react';
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowCells } from './flow-cells';
import { flowDetailGroups } from './flow-details';
import { useCopy } from './use-copy';

interface FlowDrawerProps {
  /** The open flow; undefined when the key in the URL is not among the loaded rows. */
  response?: FlowsResponse;
  flowKey: string;
  loadedCount: number;
  hasMore: boolean;
  /** The first page is still on its way. */
  loading: boolean;
  timeZone: string;
  onClose: () => void;
}

/** The side panel with every field of one flow, the drop reason in plain words, and the flow's JSON as stored. */
export function FlowDrawer({ response, flowKey, loadedCount, hasMore, loading, timeZone, onClose }: FlowDrawerProps) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside role="complementary" aria-label="Flow details" className="flow-drawer">
      <div className="flow-drawer-head">
        <h2>Flow details</h2>
        <button type="button" onClick={onClose} aria-label="Close flow details">Close</button>
      </div>
      {response ? (
        <FlowDetails response={response} timeZone={timeZone} />
      ) : loading ? (
        <p className="muted">Loading flows…</p>
      ) : (
        <p className="muted">
          Flow <code>{flowKey}</code> is not among the {loadedCount.toLocaleString()} loaded flows.{' '}
          {hasMore ? 'Load more rows, or narrow the filter, to reach it.' : 'It is outside this filter and time range.'}
        </p>
      )}
    </aside>
  );
}

function FlowDetails({ response, timeZone }: { response: FlowsResponse; timeZone: string }) {
  const cells = useMemo(() => flowCells(response, timeZone), [response, timeZone]);
  const groups = useMemo(() => (response.flow ? flowDetailGroups(response.flow) : []), [response]);
  // The API hands over the stored line parsed as is, so this is the stored JSON, only indented.
  const json = useMemo(() => JSON.stringify(response, null, 2), [response]);
  const [copy, copyText] = useCopy();
  if (!cells) return <p className="muted">This event is not a flow.</p>;
  const summary: Array<[string, string]> = [
    ['Time', `${cells.time} (${cells.isoTime})`], ['Verdict', cells.verdict], ['Type', cells.type],
    ['Source', cells.source], ['Destination', cells.destination], ['Port/Protocol', cells.portProtocol],
    ['L7', cells.l7], ['Policy', cells.policy], ['Node', cells.node],
  ];
  return (
    <div className="flow-drawer-body">
      <section aria-label="At a glance">
        <h3>At a glance</h3>
        <dl className="detail-list">
          {summary.filter(([, v]) => v).map(([k, v]) => <DetailRow key={k} label={k} value={v} />)}
        </dl>
      </section>
      {cells.dropReason && (
        <section aria-label="Drop reason" className="drop-explanation">
          <h3>Drop reason: {cells.dropReason}</h3>
          <p>{cells.dropReasonHelp}</p>
        </section>
      )}
      {groups.map((g) => (
        <section key={g.name} aria-label={`${g.name} fields`}>
          <h3>{g.name}</h3>
          <dl className="detail-list">
            {g.fields.map((f) => <DetailRow key={f.path} label={f.path} value={f.value} mono />)}
          </dl>
        </section>
      ))}
      <section aria-label="Original JSON">
        <div className="flow-drawer-head">
          <h3>Original JSON</h3>
          <button type="button" onClick={() => copyText(json)}>Copy JSON</button>
          <span className="muted" role="status">{copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Clipboard unavailable.' : ''}</span>
        </div>
        <pre className="flow-json">{json}</pre>
      </section>
    </div>
  );
}

function DetailRow({ label, value, mono }: { label: string; value: string; mono?: boolean }) {
  return (
    <div className="detail-row">
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{value}</dd>
    </div>
  );
}
