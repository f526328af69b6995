/** The parts of the Kubernetes and Cilium objects that manifests.test.ts reads. Test code only. */

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}

export interface Kustomization {
  namespace: string;
  resources: string[];
  images: Array<{ name: string; newName?: string; newTag?: string }>;
}

export interface Probe { httpGet: { path: string; port: string | number } }

export interface Container {
  name: string;
  image: string;
  ports: Array<{ name: string; containerPort: number; protocol?: string }>;
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

export interface Volume {
  name: string;
  secret?: { secretName: string; optional?: boolean; defaultMode?: number };
  configMap?: { name: string };
  emptyDir?: Record<string, unknown>;
}

export interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        serviceAccountName: string;
        automountServiceAccountToken?: boolean;
        terminationGracePeriodSeconds: number;
        securityContext: Record<string, unknown>;
        containers: Container[];
        volumes: Volume[];
      };
    };
  };
}

export interface ConfigMap extends K8sObject { data: Record<string, string> }

export interface Service extends K8sObject {
  spec: { selector: Record<string, string>; ports: Array<{ name: string; port: number; targetPort: string | number }> };
}

export interface PortRule {
  ports: Array<{ port: string; protocol: string }>;
  rules?: { http?: Array<{ method?: string; path?: string }> };
}

interface EndpointSelector { matchLabels?: Record<string, string>; matchExpressions?: unknown[] }

export interface CiliumNetworkPolicy extends K8sObject {
  spec: {
    endpointSelector: { matchLabels: Record<string, string> };
    ingress: Array<{ fromEntities?: string[]; fromEndpoints?: EndpointSelector[]; toPorts?: PortRule[] }>;
    egress: Array<{ toEndpoints?: EndpointSelector[]; toPorts?: PortRule[] }>;
  };
}
