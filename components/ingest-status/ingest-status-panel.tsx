'use client';

import { useQuery } from '@tanstack/react-query';
import { ingestStatusQuery } from './ingest-status-query';

const number = new Intl.NumberFormat('en-US');

/** Relay connection, flow counts and storage progress, refreshed every second. */
export function IngestStatusPanel() {
  const { data, error, isPending } = useQuery(ingestStatusQuery());
  if (isPending) return <p className="muted">Connecting to the collector…</p>;
  if (error) return <p role="alert" className="error-line">Collector status unavailable: {error.message}</p>;
  const verdicts = Object.entries(data.verdicts).sort((a, b) => b[1] - a[1]);
  return (
    <section className="panel" aria-label="Relay status">
      <p>
        <span className="state" data-state={data.state} aria-label="relay state">{data.state}</span>{' '}
        <span className="muted">
          {data.demo ? 'built-in demo cluster' : 'Hubble Relay'} at <code>{data.relayAddr}</code>
        </span>
      </p>
      {data.lastError && <p role="alert" className="error-line">{data.lastError}</p>}
      <dl className="stat-grid">
        <Stat label="Flows received" value={number.format(data.flowsReceived)} />
        <Stat label="Flows/s" value={number.format(Math.round(data.flowsPerS))} />
        <Stat label="Nodes connected" value={String(data.nodesConnected)} />
        <Stat label="Nodes unavailable" value={String(data.nodesUnavailable)} />
        <Stat label="Lost events" value={number.format(data.lostEvents)} />
        <Stat label="Newest flow" value={data.lastFlowTime ? new Date(data.lastFlowTime).toLocaleTimeString() : '—'} />
        <Stat label="Flows stored" value={data.flowsStored === undefined ? 'not stored' : number.format(data.flowsStored)} />
        <Stat label="Duplicates skipped" value={number.format(data.duplicateFlows ?? 0)} />
        <Stat label="Waiting to be written" value={number.format(data.queuedFlows ?? 0)} />
      </dl>
      <h3>By verdict</h3>
      <dl className="stat-grid">
        {verdicts.map(([verdict, count]) => <Stat key={verdict} label={verdict} value={number.format(count)} />)}
      </dl>
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
