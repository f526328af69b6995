'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { investigationFlowsUrl, investigationHref, type InvestigationSummary } from '../../lib/api/investigations';
import { DeleteInvestigation } from './delete-investigation';
import { flowCountText, KIND_NAMES, stillCounting } from './investigation-text';
import { investigationsListQuery } from './investigations-query';
import { formatZonedTime, useTimeZone } from './use-time-zone';

/** While a truncated snapshot's total is being counted, the list looks again this often. */
const COUNTING_REFRESH_MS = 5_000;

function Row({ inv, timeZone }: { inv: InvestigationSummary; timeZone?: string }) {
  const when = (t: string) => (timeZone ? formatZonedTime(t, timeZone) : t);
  return (
    <tr>
      <td><Link href={investigationHref(inv.id)}>{inv.title}</Link></td>
      <td>{KIND_NAMES[inv.kind]}</td>
      <td className="mono" title={inv.q || 'no filter'}>{inv.q || '–'}</td>
      <td className="nowrap"><time dateTime={inv.since}>{when(inv.since)}</time> → <time dateTime={inv.until}>{when(inv.until)}</time></td>
      <td className="nowrap">{flowCountText(inv)}</td>
      <td className="nowrap"><time dateTime={inv.createdAt}>{when(inv.createdAt)}</time></td>
      <td className="nowrap">
        <a href={investigationFlowsUrl(inv.id, { format: 'jsonpb' })} download aria-label={`Export ${inv.title} as jsonpb`}>jsonpb</a>{' '}
        <a href={investigationFlowsUrl(inv.id, { format: 'csv' })} download aria-label={`Export ${inv.title} as CSV`}>CSV</a>
      </td>
      <td><DeleteInvestigation id={inv.id} title={inv.title} flowCount={inv.flowCount} /></td>
    </tr>
  );
}

/** Every investigation, newest first, with its window and frozen flow count, and delete. */
export function InvestigationList() {
  const timeZone = useTimeZone();
  const query = useQuery({
    ...investigationsListQuery(),
    refetchInterval: (q) => (q.state.data?.investigations.some((i) => stillCounting(i, Date.now())) ? COUNTING_REFRESH_MS : false),
  });
  if (query.isError) return <p className="error-line" role="alert">Could not list the investigations: {query.error.message}</p>;
  if (!query.data) return <p className="muted">Loading investigations…</p>;
  const { investigations, more } = query.data;
  if (investigations.length === 0) {
    return <p className="muted">No investigations yet. Use Share on the flows, the map or a drop group to freeze what you are looking at.</p>;
  }
  return (
    <>
      <div className="table-scroll">
        <table className="flows-table investigations-table" aria-label="Investigations">
          <thead>
            <tr>
              <th>Title</th><th>View</th><th>Filter</th><th>Window{timeZone ? ` (${timeZone})` : ' (UTC)'}</th><th>Flows</th><th>Created</th><th>Export</th><th />
            </tr>
          </thead>
          <tbody>
            {investigations.map((inv) => <Row key={inv.id} inv={inv} timeZone={timeZone} />)}
          </tbody>
        </table>
      </div>
      {more && <p className="muted">Showing the newest {investigations.length.toLocaleString()}; older ones are kept and their links still work.</p>}
    </>
  );
}
