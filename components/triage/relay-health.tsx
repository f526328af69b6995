import type { TriageHealth, TriageNodeEvent, TriageRelay } from '../../lib/api/triage';
import { clockTime, fullTime } from './clock-time';
import { formatDuration } from './triage-model';
import { nodeFlowsHref } from './triage-links';

/** Node events shown; the rest are counted. */
const EVENTS_SHOWN = 8;
/** The sampler runs every 10 s: a sample older than this means the collector stopped sampling. */
const STALE_SAMPLE_MS = 60_000;
const NODE_TROUBLE = new Set(['NODE_UNAVAILABLE', 'NODE_GONE', 'NODE_ERROR']);

const count = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));

function RelayCard({ relay, atMs, nowMs }: { relay: TriageRelay; atMs: number; nowMs: number }) {
  const unavailable = relay.unavailableNodes ?? 0;
  const sampleAgeMs = atMs - Date.parse(relay.sampledAt);
  return (
    <div className="relay-card" aria-label={`Relay ${relay.relay}`} role="group">
      <p>
        <span className="state" data-state={relay.connected ? 'connected' : 'stopped'}>{relay.connected ? 'answering' : 'unreachable'}</span>{' '}
        <code>{relay.relay}</code>
      </p>
      <dl className="stat-grid compact">
        <div className="stat"><dt>Nodes connected</dt><dd>{count(relay.connectedNodes)}</dd></div>
        <div className="stat" data-bad={unavailable > 0 ? 'true' : undefined}><dt>Nodes unavailable</dt><dd>{count(relay.unavailableNodes)}</dd></div>
        <div className="stat"><dt>Flows/s at the relay</dt><dd>{relay.flowsPerS === null ? '—' : Math.round(relay.flowsPerS).toLocaleString('en-US')}</dd></div>
        <div className="stat"><dt>Buffered / capacity</dt><dd>{count(relay.numFlows)} / {count(relay.maxFlows)}</dd></div>
      </dl>
      <p className="muted">
        {relay.connectedSince
          ? <>Stream up since <span title={fullTime(relay.connectedSince)}>{clockTime(relay.connectedSince, nowMs)}</span>. </>
          : <span className="error-line">Stream down. </span>}
        {relay.newestStoredFlow && <>Newest stored flow at {clockTime(relay.newestStoredFlow, nowMs)}. </>}
        <span className={sampleAgeMs > STALE_SAMPLE_MS ? 'warn-line' : undefined}>
          Status sampled {formatDuration(sampleAgeMs)} before this view.
        </span>
      </p>
    </div>
  );
}

function NodeEvents({ events, nowMs }: { events: readonly TriageNodeEvent[]; nowMs: number }) {
  if (events.length === 0) return <p className="muted">No node joined, left or failed in the last 24 h.</p>;
  return (
    <>
      <ul className="node-events">
        {events.slice(0, EVENTS_SHOWN).map((e, i) => (
          <li key={`${e.time}-${e.node}-${i}`} data-bad={NODE_TROUBLE.has(e.state) ? 'true' : undefined}>
            <span className="mono" title={fullTime(e.time)}>{clockTime(e.time, nowMs)}</span>{' '}
            <a href={nodeFlowsHref(e.node, e.time)} aria-label={`Flows of node ${e.node} around ${clockTime(e.time, nowMs)}`}>{e.node}</a>{' '}
            <span className="node-state">{e.state}</span>
            {e.message && <span className="muted"> {e.message}</span>}
          </li>
        ))}
      </ul>
      {events.length > EVENTS_SHOWN && <p className="muted">and {events.length - EVENTS_SHOWN} earlier node events.</p>}
    </>
  );
}

/** Why no relay is shown: none recorded at all, or none of the picked clusters' relays. */
function NoRelay({ clusters }: { clusters: readonly string[] }) {
  if (clusters.length === 0) return <p className="warn-line">No relay status was recorded in the last 24 h: is the collector running?</p>;
  return (
    <p className="warn-line">
      No relay of {clusters.join(', ')} recorded its status in the last 24 h: flows of {clusters.length === 1 ? 'this cluster' : 'these clusters'} seen
      here come through another cluster&apos;s relay, or the collector does not follow {clusters.length === 1 ? 'its relay' : 'their relays'}.
    </p>
  );
}

interface RelayHealthProps {
  health: TriageHealth;
  /** The picked clusters (none: every cluster), whose relays `health` holds. */
  clusters: readonly string[];
  atMs: number;
  nowMs: number;
}

/** Each relay's newest status sample and stream, and the node changes of the day. */
export function RelayHealth({ health, clusters, atMs, nowMs }: RelayHealthProps) {
  return (
    <section className="panel triage-section" aria-labelledby="triage-relays">
      <h2 id="triage-relays">Relay health</h2>
      {health.relays.length === 0
        ? <NoRelay clusters={clusters} />
        : health.relays.map((r) => <RelayCard key={r.relay} relay={r} atMs={atMs} nowMs={nowMs} />)}
      <h3>Node changes</h3>
      <NodeEvents events={health.nodeEvents} nowMs={nowMs} />
    </section>
  );
}
