/**
 * Cilium's endpoint labels (`k8s:app=api`, `reserved:world`, ...) read as Kubernetes matchLabels for
 * a suggested policy: what selects a workload, what is Cilium's own bookkeeping, and what changes
 * with every rollout.
 */

/** The label Cilium puts on every pod for its namespace; a policy names it to reach another namespace. */
export const NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';
/** The label Cilium puts on every pod for its cluster (Cluster Mesh). */
export const CLUSTER_LABEL = 'k8s:io.cilium.k8s.policy.cluster';

/** One label split into its source (`k8s`, `reserved`, ...), key and value. */
export interface CiliumLabel {
  source: string;
  key: string;
  value: string;
}

/** Sources whose labels come from the pod's own metadata. */
const POD_SOURCES = new Set(['k8s', 'any', 'unspec', 'container']);

/**
 * Keys that differ between the pods of one workload or between its rollouts: selecting on them would
 * match only today's pods.
 */
const VOLATILE_KEYS = new Set([
  'pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/controller-uid', 'controller-uid',
]);

/** Keys that name a workload by convention; when present they alone make the selector. */
const IDENTIFYING_KEYS = [
  'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app', 'k8s-app', 'name',
  'component',
];

/**
 * Splits `source:key=value`. A label without `=` has an empty value; one without a known source
 * prefix is taken as `unspec` (the key itself may hold a `:` only after a source).
 */
export function parseCiliumLabel(text: string): CiliumLabel {
  const eq = text.indexOf('=');
  const head = eq < 0 ? text : text.slice(0, eq);
  const value = eq < 0 ? '' : text.slice(eq + 1);
  const colon = head.indexOf(':');
  if (colon < 0) return { source: 'unspec', key: head, value };
  return { source: head.slice(0, colon), key: head.slice(colon + 1), value };
}

/** Cilium's own labels (namespace labels, cluster, service account, policy names): not the pod's. */
const isCiliumInternal = (key: string) => key.startsWith('io.cilium.') || key.startsWith('io.kubernetes.');

/** The reserved identities among the labels (`reserved:world` → `world`). */
export function reservedIdentities(labels: readonly string[]): string[] {
  return labels.map(parseCiliumLabel).filter((l) => l.source === 'reserved').map((l) => l.key);
}

/** The value of a label key from a pod source, when present. */
export function labelValue(labels: readonly string[], key: string): string | undefined {
  return labels.map(parseCiliumLabel).find((l) => POD_SOURCES.has(l.source) && l.key === key)?.value;
}

/** What a selector built from an endpoint's labels holds. */
export interface WorkloadSelector {
  /** matchLabels, keys without their source prefix (`app: api`). */
  matchLabels: Record<string, string>;
  /** True when a conventional workload key (app, app.kubernetes.io/name, ...) is among them. */
  identifying: boolean;
}

/**
 * The matchLabels that select the workload behind `labels`: its conventional identifying labels
 * when it has any, else all its own stable labels; never Cilium's internal or reserved labels nor
 * per-rollout ones. Empty when nothing is left (the selector would match the whole namespace).
 */
export function workloadSelector(labels: readonly string[]): WorkloadSelector {
  const own = new Map<string, string>();
  for (const l of labels.map(parseCiliumLabel)) {
    if (!POD_SOURCES.has(l.source) || isCiliumInternal(l.key) || VOLATILE_KEYS.has(l.key) || l.key === '') continue;
    own.set(l.key, l.value);
  }
  const identifying = IDENTIFYING_KEYS.filter((k) => own.has(k));
  const keys = identifying.length > 0 ? identifying : [...own.keys()].sort();
  return { matchLabels: Object.fromEntries(keys.map((k) => [k, own.get(k)!])), identifying: identifying.length > 0 };
}

/** The labels every list holds (order of the first); empty for no lists. */
export function commonLabels(lists: readonly (readonly string[])[]): string[] {
  if (lists.length === 0) return [];
  const rest = lists.slice(1).map((l) => new Set(l));
  return [...new Set(lists[0])].filter((label) => rest.every((s) => s.has(label)));
}
