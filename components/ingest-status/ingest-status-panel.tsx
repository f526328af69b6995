import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { ingestLag } from '../triage/triage-model';

const number = new Intl.NumberFormat('en-US');

function Stat({ label, value, bad = false }: { label: string; value: string; bad?: boolean }) {
  return (
    <div className="stat" data-bad={bad ? 'true' : undefined}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * The collector in this process as it sees the relay right now: connection, flow counts, lost
 * events and how far storing trails receiving. `null` when no collector runs here (--role=web).
 */
export function IngestStatusPanel({ status }: { status: IngestStatus | null }) {
  if (!status) {
    return (
      <section className="panel" aria-label="Relay status">
        <h2>Relay status</h2>
        <p className="muted">No collector runs in this process (started with --role=web): the live counts are shown by the collector&apos;s own process. Relay health above comes from the database.</p>
      </section>
    );
  }
  const verdicts = Object.entries(status.verdicts).sort((a, b) => b[1] - a[1]);
  const lag = ingestLag(status);
  return (
    <section className="panel" aria-label="Relay status">
      <h2>Relay status</h2>
      <p>
        <span className="state" data-state={status.state} aria-label="relay state">{status.state}</span>{' '}
        <span className="muted">
          {status.demo ? 'built-in demo cluster' : 'Hubble Relay'} at <code>{status.relayAddr}</code>
        </span>
      </p>
      {status.lastError && <p role="alert" className="error-line">{status.lastError}</p>}
      {lag && <p className={lag.level === 'warn' ? 'warn-line' : 'muted'}>{lag.text}</p>}
      <dl className="stat-grid">
        <Stat label="Flows received" value={number.format(status.flowsReceived)} />
        <Stat label="Flows/s" value={number.format(Math.round(status.flowsPerS))} />
        <Stat label="Nodes connected" value={String(status.nodesConnected)} />
        <Stat label="Nodes unavailable" value={String(status.nodesUnavailable)} bad={status.nodesUnavailable > 0} />
        <Stat label="Lost events" value={number.format(status.lostEvents)} bad={status.lostEvents > 0} />
        <Stat label="Newest flow" value={status.lastFlowTime ? new Date(status.lastFlowTime).toLocaleTimeString() : '—'} />
        <Stat label="Flows stored" value={status.flowsStored === undefined ? 'not stored' : number.format(status.flowsStored)} />
        <Stat label="Duplicates skipped" value={number.format(status.duplicateFlows ?? 0)} />
        <Stat label="Waiting to be written" value={number.format(status.queuedFlows ?? 0)} />
        {(status.droppedFlows ?? 0) > 0 && <Stat label="Not stored (refused)" value={number.format(status.droppedFlows ?? 0)} bad />}
      </dl>
      <h3>By verdict since start</h3>
      <dl className="stat-grid">
        {verdicts.map(([verdict, count]) => <Stat key={verdict} label={verdict} value={number.format(count)} />)}
      </dl>
    </section>
  );
}
