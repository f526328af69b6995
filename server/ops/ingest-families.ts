/**
 * Metric families read from the collector's IngestStatus (the snapshot it publishes on the live
 * bus every second): flows received and stored, lost events, relay connection and ingest lag.
 * Without a collector in the process (status undefined) the families have no samples. With the
 * relays listed (`relays`), each relay has its own samples, labelled with its `cluster`.
 */
import type { IngestStatus } from '../../lib/ingest/ingest-status';
import { parseTimestamp } from '../../lib/time/timestamp';
import { sampledFamily, type MetricFamily, type Sample } from './metrics-registry';

type StatusSource = () => IngestStatus | undefined;

function one(value: number | undefined): Sample[] {
  return value === undefined ? [] : [{ value }];
}

function timeSeconds(text: string | undefined): number | undefined {
  const ts = text === undefined ? undefined : parseTimestamp(text);
  return ts && ts.seconds + ts.nanos / 1e9;
}

/** Each relay's status with the labels its samples get: `cluster` when the collector names clusters. */
function perRelay(s: IngestStatus): Array<[Record<string, string>, IngestStatus]> {
  return s.relays ? s.relays.map((r) => [{ cluster: r.cluster }, r]) : [[{}, s]];
}

/** The families, each reading `status()` when scraped; `nowMs` dates the lag. One sample per relay (and verdict, state). */
export function ingestFamilies(status: StatusSource, nowMs: () => number = Date.now): MetricFamily[] {
  const from = (read: (s: IngestStatus) => Sample[]) => () => {
    const s = status();
    return s ? perRelay(s).flatMap(([labels, r]) => read(r).map((sample) => ({ ...sample, labels: { ...sample.labels, ...labels } }))) : [];
  };
  return [
    sampledFamily('hubble_dashboard_flows_received_total', 'Flows received from Hubble Relay since the process started, by verdict (and cluster).', 'counter',
      from((s) => Object.entries(s.verdicts).sort(([a], [b]) => a.localeCompare(b)).map(([verdict, value]) => ({ labels: { verdict }, value })))),
    sampledFamily('hubble_dashboard_flows_stored_total', 'Flows written to the database since the process started.', 'counter',
      from((s) => one(s.flowsStored))),
    sampledFamily('hubble_dashboard_flows_duplicate_total', 'Flows received again that were already stored (the overlap of a resumed stream).', 'counter',
      from((s) => one(s.duplicateFlows))),
    sampledFamily('hubble_dashboard_flows_dropped_total', 'Flows that could not be stored (refused by the database, or without a time); each is recorded as a gap.', 'counter',
      from((s) => one(s.droppedFlows))),
    sampledFamily('hubble_dashboard_flows_queued', 'Flows received and not yet written to the database.', 'gauge',
      from((s) => one(s.queuedFlows))),
    sampledFamily('hubble_dashboard_lost_events_total', 'Events Hubble reported lost (ring buffer or relay queue overflow) since the process started.', 'counter',
      from((s) => one(s.lostEvents))),
    sampledFamily('hubble_dashboard_relay_connected', 'Whether the collector is connected to Hubble Relay (1) or not (0); relay="demo" for the built-in demo cluster, cluster= the relay\'s cluster.', 'gauge',
      from((s) => [{ labels: { relay: s.demo ? 'demo' : s.relayAddr }, value: s.state === 'connected' ? 1 : 0 }])),
    sampledFamily('hubble_dashboard_relay_nodes', 'Cilium nodes the relay reports, by state.', 'gauge',
      from((s) => [{ labels: { state: 'connected' }, value: s.nodesConnected }, { labels: { state: 'unavailable' }, value: s.nodesUnavailable }])),
    sampledFamily('hubble_dashboard_newest_stored_flow_timestamp_seconds', 'Time (Unix seconds) of the newest flow written to the database by this process.', 'gauge',
      from((s) => one(timeSeconds(s.newestStoredFlowTime)))),
    sampledFamily('hubble_dashboard_ingest_lag_seconds', 'Seconds between now and the time of the newest flow written to the database by this process.', 'gauge',
      from((s) => {
        const newest = timeSeconds(s.newestStoredFlowTime);
        return newest === undefined ? [] : [{ value: Math.max(0, nowMs() / 1000 - newest) }];
      })),
  ];
}
