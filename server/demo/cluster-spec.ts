/**
 * The demo cluster as declared by its operators: nodes, namespaces, workloads, services and the
 * Cilium policies that govern them. Plain data; server/demo/topology.ts turns it into endpoints.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface NodeSpec {
  name: string;
  ip: string;
  /** The node's /24 pod CIDR as its first three octets, e.g. `10.244.1.`. */
  podCidrPrefix: string;
  zone: string;
  controlPlane?: boolean;
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  kind: WorkloadKind;
  /** Ignored for DaemonSets, which run one pod on every node. */
  replicas: number;
  /** Kubernetes pod labels, `key=value`, without Cilium's `k8s:` source prefix. */
  labels: string[];
  serviceAccount: string;
  /** hostNetwork pods have the node's IP and Cilium sees them as the host. */
  hostNetwork?: boolean;
  /** Port Prometheus scrapes `/metrics` on. */
  metricsPort?: number;
  /** Name of the CiliumNetworkPolicy (same namespace) that selects this workload for ingress. */
  ingressPolicy?: string;
  /** Name of the CiliumNetworkPolicy (same namespace) that selects this workload for egress. */
  egressPolicy?: string;
  /** Egress policy runs in audit mode (`policy-audit-mode`): would-be denials are AUDIT verdicts. */
  egressAudit?: boolean;
  /** L7 proxy on the workload's service port: ingress HTTP or Kafka visibility. */
  l7Ingress?: 'http' | 'kafka';
}

export interface ServiceSpec {
  namespace: string;
  name: string;
  /** Backing workload; undefined for a Service without ready endpoints. */
  workload?: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP';
  clusterIp?: string;
}

export const NODE_SPECS: readonly NodeSpec[] = [
  { name: 'control-plane', ip: '172.18.0.2', podCidrPrefix: '10.244.0.', zone: 'eu-west-1a', controlPlane: true },
  { name: 'worker-1', ip: '172.18.0.3', podCidrPrefix: '10.244.1.', zone: 'eu-west-1a' },
  { name: 'worker-2', ip: '172.18.0.4', podCidrPrefix: '10.244.2.', zone: 'eu-west-1b' },
  { name: 'worker-3', ip: '172.18.0.5', podCidrPrefix: '10.244.3.', zone: 'eu-west-1c' },
];

/** Namespaces that run the business applications (everything but cluster infrastructure). */
export const APP_NAMESPACES: readonly string[] = ['shop', 'payments', 'data', 'ci', 'ingress-nginx'];

/** Namespaces whose pods are selected by the cluster-wide DNS policy, so their lookups go through the DNS proxy. */
export const DNS_PROXY_NAMESPACES: ReadonlySet<string> = new Set(APP_NAMESPACES);

function app(namespace: string, name: string, kind: WorkloadKind, replicas: number, extra: Partial<WorkloadSpec> = {}): WorkloadSpec {
  return {
    namespace, name, kind, replicas, serviceAccount: name, labels: [`app=${name}`], metricsPort: 9090,
    ingressPolicy: `${name}-ingress`, egressPolicy: `${namespace}-egress`, ...extra,
  };
}

export const WORKLOAD_SPECS: readonly WorkloadSpec[] = [
  app('shop', 'frontend', 'Deployment', 3, { labels: ['app=frontend', 'tier=web'], l7Ingress: 'http' }),
  app('shop', 'api', 'Deployment', 3, { labels: ['app=api', 'tier=backend', 'version=v2'], l7Ingress: 'http' }),
  app('shop', 'cart', 'Deployment', 2, { labels: ['app=cart', 'tier=backend'], l7Ingress: 'http' }),
  app('shop', 'checkout', 'Deployment', 2, { labels: ['app=checkout', 'tier=backend'], l7Ingress: 'http' }),
  app('shop', 'payments-db', 'StatefulSet', 2, { labels: ['app=payments-db', 'tier=db'], metricsPort: 9187 }),
  app('payments', 'payments', 'Deployment', 2, { labels: ['app=payments', 'pci=true'], l7Ingress: 'http' }),
  app('payments', 'fraud-check', 'Deployment', 2, { labels: ['app=fraud-check', 'pci=true'], l7Ingress: 'http' }),
  app('data', 'kafka', 'StatefulSet', 3, { labels: ['app=kafka', 'app.kubernetes.io/name=kafka'], metricsPort: 9308, l7Ingress: 'kafka' }),
  app('data', 'postgres', 'StatefulSet', 2, { labels: ['app=postgres', 'app.kubernetes.io/name=postgresql'], metricsPort: 9187 }),
  app('data', 'redis', 'StatefulSet', 1, { labels: ['app=redis', 'app.kubernetes.io/name=redis'], metricsPort: 9121 }),
  app('ci', 'runner', 'Deployment', 2, {
    labels: ['app=runner', 'app.kubernetes.io/name=actions-runner'], serviceAccount: 'actions-runner',
    ingressPolicy: undefined, metricsPort: undefined, egressAudit: true,
  }),
  app('ingress-nginx', 'ingress-nginx-controller', 'Deployment', 2, {
    labels: ['app.kubernetes.io/component=controller', 'app.kubernetes.io/instance=ingress-nginx', 'app.kubernetes.io/name=ingress-nginx'],
    serviceAccount: 'ingress-nginx', metricsPort: 10254, ingressPolicy: 'ingress-nginx', egressPolicy: 'ingress-nginx',
  }),
  {
    namespace: 'kube-system', name: 'coredns', kind: 'Deployment', replicas: 2, labels: ['k8s-app=kube-dns'],
    serviceAccount: 'coredns', metricsPort: 9153,
  },
  {
    namespace: 'kube-system', name: 'cilium', kind: 'DaemonSet', replicas: 0, hostNetwork: true,
    labels: ['app.kubernetes.io/name=cilium-agent', 'app.kubernetes.io/part-of=cilium', 'k8s-app=cilium'],
    serviceAccount: 'cilium', metricsPort: 9962,
  },
  {
    namespace: 'kube-system', name: 'hubble-relay', kind: 'Deployment', replicas: 1,
    labels: ['app.kubernetes.io/name=hubble-relay', 'app.kubernetes.io/part-of=cilium', 'k8s-app=hubble-relay'],
    serviceAccount: 'hubble-relay', metricsPort: 9966,
  },
  {
    namespace: 'kube-system', name: 'hubble-ui', kind: 'Deployment', replicas: 1,
    labels: ['app.kubernetes.io/name=hubble-ui', 'app.kubernetes.io/part-of=cilium', 'k8s-app=hubble-ui'],
    serviceAccount: 'hubble-ui',
  },
  {
    namespace: 'monitoring', name: 'prometheus', kind: 'StatefulSet', replicas: 1,
    labels: ['app.kubernetes.io/name=prometheus', 'operator.prometheus.io/name=k8s'], serviceAccount: 'prometheus-k8s',
  },
  {
    namespace: 'monitoring', name: 'node-exporter', kind: 'DaemonSet', replicas: 0, hostNetwork: true,
    labels: ['app.kubernetes.io/name=node-exporter'], serviceAccount: 'node-exporter', metricsPort: 9100,
  },
  {
    namespace: 'monitoring', name: 'fluent-bit', kind: 'DaemonSet', replicas: 0,
    labels: ['app.kubernetes.io/instance=fluent-bit', 'app.kubernetes.io/name=fluent-bit'], serviceAccount: 'fluent-bit', metricsPort: 2020,
  },
  {
    namespace: 'monitoring', name: 'loki', kind: 'StatefulSet', replicas: 1,
    labels: ['app.kubernetes.io/component=single-binary', 'app.kubernetes.io/name=loki'], serviceAccount: 'loki', metricsPort: 3100,
  },
  {
    namespace: 'monitoring', name: 'grafana', kind: 'Deployment', replicas: 1,
    labels: ['app.kubernetes.io/instance=grafana', 'app.kubernetes.io/name=grafana'], serviceAccount: 'grafana', metricsPort: 3000,
  },
  {
    namespace: 'monitoring', name: 'kube-state-metrics', kind: 'Deployment', replicas: 1,
    labels: ['app.kubernetes.io/name=kube-state-metrics'], serviceAccount: 'kube-state-metrics', metricsPort: 8080,
  },
  {
    namespace: 'monitoring', name: 'otel-collector', kind: 'Deployment', replicas: 1,
    labels: ['app.kubernetes.io/component=opentelemetry-collector', 'app.kubernetes.io/name=otel-collector'],
    serviceAccount: 'otel-collector', metricsPort: 8888,
  },
];

function svc(namespace: string, name: string, port: number, extra: Partial<ServiceSpec> = {}): ServiceSpec {
  return { namespace, name, workload: name, port, targetPort: port, protocol: 'TCP', ...extra };
}

export const SERVICE_SPECS: readonly ServiceSpec[] = [
  svc('default', 'kubernetes', 443, { workload: undefined, targetPort: 6443, clusterIp: '10.96.0.1' }),
  svc('kube-system', 'kube-dns', 53, { workload: 'coredns', protocol: 'UDP', clusterIp: '10.96.0.10' }),
  svc('kube-system', 'hubble-relay', 80, { targetPort: 4245 }),
  svc('kube-system', 'hubble-ui', 80, { targetPort: 8081 }),
  svc('shop', 'frontend', 80, { targetPort: 8080 }),
  svc('shop', 'api', 8080),
  svc('shop', 'cart', 8080),
  svc('shop', 'checkout', 8080),
  svc('shop', 'payments-db', 5432),
  svc('shop', 'recommendations', 8080, { workload: undefined }),
  svc('payments', 'payments', 8080),
  svc('payments', 'fraud-check', 8080),
  svc('data', 'kafka', 9092),
  svc('data', 'postgres', 5432),
  svc('data', 'redis', 6379),
  svc('monitoring', 'prometheus', 9090),
  svc('monitoring', 'loki', 3100),
  svc('monitoring', 'grafana', 3000),
  svc('monitoring', 'otel-collector', 6831, { protocol: 'UDP' }),
  svc('ingress-nginx', 'ingress-nginx-controller', 443),
];

/** The cluster-wide policy that allows DNS to kube-dns with an L7 DNS rule (hence the DNS proxy). */
export const DNS_POLICY_NAME = 'allow-kube-dns';

/** Internet services the workloads reach by name (resolved through the DNS proxy, so flows carry the name). */
export const EXTERNAL_HOSTS: Readonly<Record<string, readonly string[]>> = {
  'api.stripe.com': ['54.187.174.169', '54.187.205.235', '54.187.216.72'],
  'api.sendgrid.com': ['168.245.100.42', '168.245.1.53'],
  'github.com': ['140.82.121.4', '140.82.121.3'],
  'api.github.com': ['140.82.121.6'],
  'objects.githubusercontent.com': ['185.199.108.133', '185.199.109.133'],
  'registry-1.docker.io': ['54.227.20.253', '3.216.34.172'],
};

/** Fixed partner networks reached by CIDR rules, without DNS names. */
export const PARTNER_ACQUIRER_IP = '203.0.113.10';
export const BLOCKED_PARTNER_IP = '203.0.113.77';
export const UNLISTED_CI_IP = '198.51.100.23';
/** Internet clients of the shop arrive from these networks. */
export const CLIENT_PREFIXES: readonly string[] = ['81.2.69.', '93.184.216.', '192.0.2.', '100.64.12.'];
