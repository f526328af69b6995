'use client';

import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { DropGroupInvestigationView, FlowsInvestigationView, MapInvestigationView } from '../../lib/api/investigation-view';
import { investigationFlowsUrl, type InvestigationDetail } from '../../lib/api/investigations';
import { graphClusters } from '../../lib/service-map/clusters';
import { FlowsCommand } from '../flows-table/flows-command';
import { flowsViewHref } from '../flows-table/flows-query';
import { DeleteInvestigation } from './delete-investigation';
import { frozenClustersText } from './frozen-clusters';
import { FrozenDropGroup } from './frozen-drop-group';
import { FrozenFlows } from './frozen-flows';
import { FrozenMap } from './frozen-map';
import { FrozenWindow } from './frozen-window';
import { KIND_NAMES, snapshotText, stillCounting } from './investigation-text';
import { investigationQuery } from './investigations-query';
import { formatZonedTime, useTimeZone } from './use-time-zone';

/** How often the page asks again while a truncated snapshot's total is being counted. */
const COUNTING_REFRESH_MS = 5_000;

/** Where the frozen view came from, drawn from what was stored: the map, the drop group, or a link to the live flows. */
function KindSection({ detail }: { detail: InvestigationDetail }) {
  switch (detail.kind) {
    case 'map':
      return detail.map
        ? <FrozenMap map={detail.map} view={detail.view as MapInvestigationView} q={detail.q} />
        : <p className="error-line" role="alert">The stored map snapshot could not be read.</p>;
    case 'drop-group': {
      const { group } = detail.view as Partial<DropGroupInvestigationView>;
      return group ? <FrozenDropGroup group={group} since={detail.since} until={detail.until} /> : null;
    }
    case 'flows':
      return (
        <p>
          <a href={flowsViewHref({ q: detail.q, since: detail.since, until: detail.until, limit: 100 })}>Open this filter and window on the Flows page</a>{' '}
          <span className="muted">(live data: flows older than the retention period are gone there, not here)</span>
        </p>
      );
  }
}

/** The clusters the stored snapshot names: a map's nodes, a drop group's ends; none for flows. */
function snapshotClusters(detail: InvestigationDetail): string[] {
  if (detail.kind === 'map') return graphClusters(detail.map?.nodes ?? []);
  if (detail.kind === 'drop-group') {
    const { group } = detail.view as Partial<DropGroupInvestigationView>;
    return group ? [group.source.cluster, group.destination.cluster] : [];
  }
  return [];
}

/** The /i/<id> page body: everything the investigation froze, its exports, and delete. */
export function InvestigationView({ detail: initial }: { detail: InvestigationDetail }) {
  const router = useRouter();
  const timeZone = useTimeZone();
  // The page is rendered with the stored record; only a total still being counted changes later.
  const { data: detail } = useQuery(investigationQuery(initial, stillCounting(initial, Date.now()) ? COUNTING_REFRESH_MS : false));
  const { id } = detail;
  return (
    <article className="investigation" aria-labelledby="investigation-title">
      <header className="investigation-head">
        <div>
          <p className="muted">
            Investigation · {KIND_NAMES[detail.kind]} · created{' '}
            <time dateTime={detail.createdAt}>{timeZone ? formatZonedTime(detail.createdAt, timeZone) : detail.createdAt}</time>
          </p>
          <h1 id="investigation-title">{detail.title}</h1>
        </div>
        <DeleteInvestigation id={id} title={detail.title} flowCount={detail.flowCount} onDeleted={() => router.push('/investigations')} />
      </header>
      {detail.notes && <section aria-label="Notes" className="investigation-notes">{detail.notes}</section>}
      <section aria-label="Frozen window">
        <h2>Frozen window</h2>
        <FrozenWindow since={detail.since} until={detail.until} />
        <p>Clusters: {frozenClustersText(detail.q, snapshotClusters(detail))}</p>
      </section>
      <FlowsCommand
        command={detail.command} jsonpbHref={investigationFlowsUrl(id, { format: 'jsonpb' })} csvHref={investigationFlowsUrl(id, { format: 'csv' })}
      />
      <KindSection detail={detail} />
      <section aria-label="Frozen flows">
        <h2>Frozen flows</h2>
        <p className="muted" role="note">{snapshotText(detail, Date.now())}</p>
        <FrozenFlows id={id} openFlow={detail.kind === 'flows' ? (detail.view as FlowsInvestigationView).flow : undefined} />
      </section>
    </article>
  );
}
