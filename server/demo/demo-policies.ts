/**
 * The Cilium policies of a demo cluster as flows name them (`*_allowed_by`, `*_denied_by`): one
 * object per policy, with the labels Cilium derives from it and a uid stable for the cluster name.
 */
import type { Policy } from '../../lib/flow/flow';
import { DNS_POLICY_NAME, WORKLOAD_SPECS } from './cluster-spec';
import { hashString, uuidFromWords } from './prng';

/** The policy repository revision the demo agents report for policies imported at start-up. */
export const POLICY_REVISION = 17;

function policyObject(clusterName: string, namespace: string, name: string): Policy {
  const kind = namespace ? 'CiliumNetworkPolicy' : 'CiliumClusterwideNetworkPolicy';
  const h = hashString(`${clusterName}/${namespace}/${name}`);
  const uid = uuidFromWords(h, hashString(`${h}b`), hashString(`${h}c`), hashString(`${h}d`));
  const labels = [
    `k8s:io.cilium.k8s.policy.derived-from=${kind}`,
    `k8s:io.cilium.k8s.policy.name=${name}`,
    ...(namespace ? [`k8s:io.cilium.k8s.policy.namespace=${namespace}`] : []),
    `k8s:io.cilium.k8s.policy.uid=${uid}`,
  ];
  return namespace ? { name, namespace, labels, revision: String(POLICY_REVISION), kind } : { name, labels, revision: String(POLICY_REVISION), kind };
}

/** Every policy of the cluster by `namespace/name` (namespace '' for the cluster-wide DNS policy). */
export function buildPolicies(clusterName: string): Map<string, Policy> {
  const policies = new Map<string, Policy>();
  policies.set(`/${DNS_POLICY_NAME}`, policyObject(clusterName, '', DNS_POLICY_NAME));
  for (const w of WORKLOAD_SPECS) {
    for (const name of [w.ingressPolicy, w.egressPolicy]) {
      if (name) policies.set(`${w.namespace}/${name}`, policyObject(clusterName, w.namespace, name));
    }
  }
  return policies;
}
