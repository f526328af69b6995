/**
 * Pod names as Kubernetes makes them: `name-<pod-template-hash>-<suffix>` for Deployments,
 * `name-<suffix>` for DaemonSets, `name-<ordinal>` for StatefulSets, from the consonant-and-digit
 * alphabet Kubernetes uses for generated names. Deterministic: hashed from namespace and name.
 */
import type { WorkloadSpec } from './cluster-spec';
import { hashString } from './prng';

const POD_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function randomName(seed: number, length: number): string {
  let h = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    h = hashString(`${h}:${i}`);
    out += POD_NAME_ALPHABET[h % POD_NAME_ALPHABET.length];
  }
  return out;
}

/** Names of `count` pods of a workload. */
export function podNames(spec: WorkloadSpec, count: number): string[] {
  const h = hashString(`${spec.namespace}/${spec.name}`);
  switch (spec.kind) {
    case 'StatefulSet':
      return Array.from({ length: count }, (_, i) => `${spec.name}-${i}`);
    case 'DaemonSet':
      return Array.from({ length: count }, (_, i) => `${spec.name}-${randomName(h + i, 5)}`);
    case 'Deployment': {
      const template = randomName(h, 9 + (h % 2));
      return Array.from({ length: count }, (_, i) => `${spec.name}-${template}-${randomName(h ^ (i + 1) * 7919, 5)}`);
    }
  }
}
