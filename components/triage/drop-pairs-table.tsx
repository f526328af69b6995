import type { TriageDropPairs } from '../../lib/api/triage';
import { groupReason, groupTarget } from './new-drop-groups';
import { endpointLabel, endpointTitle, groupHref, pairFlowsHref } from './triage-links';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The source → destination pairs dropping most in the last 15 minutes: each pair opens its dropped
 * flows, its busiest group opens the group's page.
 */
export function DropPairsTable({ data }: { data: TriageDropPairs }) {
  const w = { since: data.window.since };
  return (
    <section className="panel triage-section" aria-labelledby="triage-pairs">
      <h2 id="triage-pairs">Top dropped pairs</h2>
      <p className="muted">Drops in the last 15 minutes by source and destination, with each pair&apos;s busiest drop group.</p>
      {data.pairs.length === 0 ? (
        <p className="ok-line">No drops in the last 15 minutes.</p>
      ) : (
        <table className="triage-table" aria-labelledby="triage-pairs">
          <thead>
            <tr>
              <th scope="col">Source → destination</th><th scope="col" className="num">Drops, 15 min</th>
              <th scope="col">Most drops in</th>
            </tr>
          </thead>
          <tbody>
            {data.pairs.map((p) => {
              const pair = `${endpointLabel(p.source)} → ${endpointLabel(p.destination)}`;
              const others = p.groups - 1;
              return (
                <tr key={`${endpointTitle(p.source)}→${endpointTitle(p.destination)}`}>
                  <th scope="row">
                    <a href={pairFlowsHref(p.source, p.destination, w)} title={`${endpointTitle(p.source)} → ${endpointTitle(p.destination)}`}>
                      {pair}
                    </a>
                  </th>
                  <td className="num">{count(p.flows)}</td>
                  <td>
                    <a href={groupHref(p.topGroup, w)} aria-label={`Drop group ${pair} ${groupTarget(p.topGroup)}`}>
                      {groupTarget(p.topGroup)}
                    </a>{' '}
                    <span className="muted">{groupReason(p.topGroup)}{others > 0 ? ` (+${others} other group${others === 1 ? '' : 's'})` : ''}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
