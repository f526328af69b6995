'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { TriageResponse } from '../../lib/api/triage';
import { ClusterPicker } from '../filter-bar/cluster-picker';
import { IngestStatusPanel } from '../ingest-status/ingest-status-panel';
import { clockTime } from './clock-time';
import { DataCompleteness } from './data-completeness';
import { DropPairsTable } from './drop-pairs-table';
import { DropRatesTable } from './drop-rates-table';
import { NewDropGroups } from './new-drop-groups';
import { RefreshControls } from './refresh-controls';
import { RelayHealth } from './relay-health';
import { triageClustersFromSearch, triageHref } from './triage-clusters';
import { clusterFlags } from './triage-links';
import { completeness } from './triage-model';
import { triageQuery, TRIAGE_REFRESH_MS } from './triage-query';
import { TriageSummary } from './triage-summary';
import { TriageTimeline } from './triage-timeline';
import { useNow } from './use-now';

const hourBefore = (ms: number) => new Date(ms - 3_600_000).toISOString();

/** Which clusters every number below counts (the API computed them for the selection). */
function ClusterNote({ clusters }: { clusters: readonly string[] }) {
  if (clusters.length === 0) return null;
  return (
    <p className="muted" role="note" aria-label="Clusters counted">
      Counting flows with a side in {clusters.join(', ')} (as <code>hubble observe {clusterFlags(clusters)}</code>);
      relay health, gaps and the relay status are {clusters.length === 1 ? 'its relay' : 'their relays'}&apos;.
    </p>
  );
}

/** The live status of the picked clusters' relays, or why there is none here. */
function RelayStatus({ data }: { data: TriageResponse }) {
  if (data.ingest || data.clusters.length === 0) return <IngestStatusPanel status={data.ingest} />;
  return (
    <section className="panel" aria-label="Relay status">
      <h2>Relay status</h2>
      <p className="muted">
        No collector in this process follows a relay of {data.clusters.join(', ')} (or it runs elsewhere, with --role=web): relay health
        above comes from the database.
      </p>
    </section>
  );
}

function TriageBody({ data, nowMs }: { data: TriageResponse; nowMs: number }) {
  const atMs = Date.parse(data.at);
  const summary = useMemo(() => completeness(data.health, data.ingest, atMs, (iso) => clockTime(iso)), [data, atMs]);
  const { clusters } = data;
  return (
    <>
      <ClusterNote clusters={clusters} />
      <TriageSummary data={data} completeness={summary} />
      <NewDropGroups data={data.newDropGroups} dataSince={data.health.dataSince} clusters={clusters} nowMs={nowMs} />
      <div className="triage-grid">
        <DropRatesTable data={data.dropRates} dataSince={data.health.dataSince} linkSince={hourBefore(atMs)} clusters={clusters} nowMs={nowMs} />
        <DropPairsTable data={data.dropPairs} />
      </div>
      <TriageTimeline timeline={data.timeline} health={data.health} recentSince={data.newDropGroups.window.since} clusters={clusters} nowMs={nowMs} />
      <div className="triage-grid">
        <DataCompleteness summary={summary} gaps={data.health.gaps} clusters={clusters} nowMs={nowMs} />
        <RelayHealth health={data.health} clusters={clusters} atMs={atMs} nowMs={nowMs} />
      </div>
      <RelayStatus data={data} />
    </>
  );
}

/**
 * The on-call triage at `/`: what is newly dropping, whether the data is complete, and where to
 * click next, refreshed every few seconds unless paused. The picked clusters live in the URL.
 */
export function TriagePage() {
  const searchParams = useSearchParams();
  const router = useRouter();
  const clusters = useMemo(() => triageClustersFromSearch(new URLSearchParams(searchParams.toString())), [searchParams]);
  const [paused, setPaused] = useState(false);
  // Each selection is its own query: another selection's numbers are never shown under this one.
  const query = useQuery(triageQuery(paused ? false : TRIAGE_REFRESH_MS, clusters));
  const nowMs = useNow();
  return (
    <div className="triage">
      <header className="triage-head">
        <h1>Triage</h1>
        <ClusterPicker
          control={{ editable: true, selected: clusters }} since="24h" onChange={(list) => router.replace(triageHref(list), { scroll: false })}
        />
        {query.data && (
          <RefreshControls
            updatedAtMs={query.dataUpdatedAt} nowMs={nowMs} paused={paused} fetching={query.isFetching}
            error={query.isError ? query.error : null} onPause={setPaused} onRefresh={() => void query.refetch()}
          />
        )}
      </header>
      {query.isPending && <p className="muted">Reading the last 24 hours…</p>}
      {!query.data && query.isError && (
        <p role="alert" className="error-line">
          Triage unavailable: {query.error.message}{' '}
          <button type="button" onClick={() => void query.refetch()}>Try again</button>
        </p>
      )}
      {query.data && <TriageBody data={query.data} nowMs={nowMs} />}
    </div>
  );
}
