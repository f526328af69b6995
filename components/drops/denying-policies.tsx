import type { DropGroupDetail } from '../../lib/api/drops';
import { policyList } from './drop-format';

/**
 * The policies that denied the group: from the sample flows (with their kind and direction), else,
 * when no sample is stored, the names the rollups keep.
 */
export function DenyingPolicies({ d }: { d: DropGroupDetail }) {
  const fromFlows = d.facts.policies;
  const names = policyList(d.key);
  return (
    <section className="drop-section" aria-labelledby="denying-policies-heading">
      <h2 id="denying-policies-heading">Denying policies</h2>
      {fromFlows.length === 0 && names.length === 0 && (
        <p className="muted">The flows name no denying policy{d.key.dropReason === 'POLICY_DENIED' ? ' (the default deny of a selected endpoint, or an agent that does not report them)' : ''}.</p>
      )}
      {fromFlows.length === 0 && names.length > 0 && (
        <p>{names.join(', ')} <span className="muted">(kinds unknown: no sample flow of this group is stored for the window)</span></p>
      )}
      {fromFlows.length > 0 && (
        <table className="flows-table policies-table" aria-label="Denying policies">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Namespace</th><th scope="col">Kind</th><th scope="col">Denied at</th><th scope="col">Sample flows</th></tr>
          </thead>
          <tbody>
            {fromFlows.map((p) => (
              <tr key={`${p.direction}/${p.namespace}/${p.name}`}>
                <td className="mono">{p.name || '(unnamed)'}</td>
                <td className="mono">{p.namespace || '(cluster-wide)'}</td>
                <td>{p.kind || 'not reported'}</td>
                <td>{p.direction}</td>
                <td className="num">{p.flows}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
