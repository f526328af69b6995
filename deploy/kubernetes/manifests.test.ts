/**
 * The Kubernetes manifests, parsed as kubectl parses them (YAML 1.1), and checked against each
 * other, the image and the code: every reference resolves, probes hit real routes on real ports,
 * the container cannot run as root, every variable is a real setting, and the network policy
 * allows exactly what the settings connect to.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../server/config';
import { projectRoot } from '../../server/project-root';
import { instruction, readDockerfile, stageEnv } from '../testing/dockerfile';
import { settingNames } from '../testing/settings';
import type { CiliumNetworkPolicy, ConfigMap, Container, Deployment, K8sObject, Kustomization, PortRule, Service } from './manifest-types';

const DIR = join(projectRoot, 'deploy', 'kubernetes');
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');

/** Objects made outside these manifests, and who makes them. */
const EXTERNAL_SECRETS: Record<string, { keys: string[]; madeBy: string }> = {
  // Cilium's Helm chart (hubble-relay-client-certs, type kubernetes.io/tls) when Hubble TLS is on.
  'hubble-relay-client-certs': { keys: ['ca.crt', 'tls.crt', 'tls.key'], madeBy: 'cilium' },
  'hubble-dashboard-database': { keys: ['DATABASE_URL'], madeBy: 'the installer, as the README shows' },
  'hubble-dashboard-oidc': { keys: ['client-secret', 'session-secret'], madeBy: 'the installer, with HUBBLE_DASHBOARD_AUTH=oidc' },
};
// Cilium's chart: Service hubble-relay, port 80 (443 with relay TLS) to the pods' port 4245, which
// is what policies see; pods labelled k8s-app=hubble-relay.
const RELAY = { host: 'hubble-relay.kube-system.svc', servicePort: 80, podPort: 4245, label: 'hubble-relay' };

const kustomization = parseAllDocuments(read('kustomization.yaml'), { version: '1.1' })[0].toJS() as Kustomization;
const objects: K8sObject[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(read(file), { version: '1.1' }).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    return doc.toJS() as K8sObject;
  }));

function one<T extends K8sObject>(kind: string, name?: string): T {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0] as T;
}

const deployment = one<Deployment>('Deployment');
const pod = deployment.spec.template;
const container: Container = pod.spec.containers[0];
const configMap = one<ConfigMap>('ConfigMap', container.envFrom?.[0]?.configMapRef?.name);
const podLabels = pod.metadata.labels;
const containerPort = (name: string) => container.ports.find((p) => p.name === name)?.containerPort;
const selects = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => podLabels[k] === v);
const portsOf = (rules: PortRule[] | undefined) => (rules ?? []).flatMap((r) => r.ports.map((p) => `${p.port}/${p.protocol}`)).sort();

describe('Kubernetes manifests', () => {
  it('are all listed in the kustomization, in the kube-system namespace', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
    expect([...kustomization.resources].sort()).toEqual(files);
    expect(kustomization.namespace).toBe('kube-system');
    for (const o of objects) expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe('kube-system');
    expect(kustomization.images.map((i) => i.name)).toEqual([container.image]);
  });

  it('select the Deployment\'s pods from the Deployment, the Service and the policy', () => {
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
    expect(selects(one<Service>('Service').spec.selector)).toBe(true);
    expect(selects(one<CiliumNetworkPolicy>('CiliumNetworkPolicy').spec.endpointSelector.matchLabels)).toBe(true);
  });

  it('resolve every ConfigMap, Secret, ServiceAccount and volume reference', () => {
    expect(one('ServiceAccount', pod.spec.serviceAccountName).metadata.name).toBe(pod.spec.serviceAccountName);
    for (const env of container.env ?? []) {
      const ref = env.valueFrom?.secretKeyRef;
      if (!ref) continue;
      expect(EXTERNAL_SECRETS[ref.name]?.keys, env.name).toContain(ref.key);
    }
    const volumes = new Map(pod.spec.volumes.map((v) => [v.name, v]));
    for (const m of container.volumeMounts) expect(volumes.has(m.name), m.name).toBe(true);
    expect(new Set(container.volumeMounts.map((m) => m.name))).toEqual(new Set(volumes.keys()));
    for (const v of volumes.values()) {
      if (v.secret) expect(EXTERNAL_SECRETS[v.secret.secretName], v.secret.secretName).toBeDefined();
      if (v.configMap) expect(one('ConfigMap', v.configMap.name)).toBeDefined();
    }
  });

  it('tell the installer how to create the database Secret the Deployment needs', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    expect(readme).toMatch(/kubectl -n kube-system create secret generic hubble-dashboard-database \\\n\s+--from-literal=DATABASE_URL=/);
  });

  it('mount the OpenID Connect secrets where the ConfigMap and the README say the *_FILE settings find them', () => {
    const volume = pod.spec.volumes.find((v) => v.secret?.secretName === 'hubble-dashboard-oidc')!;
    expect(volume.secret!.optional).toBe(true);
    const mount = container.volumeMounts.find((m) => m.name === volume.name)!;
    expect(mount.readOnly).toBe(true);
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    for (const [name, key] of [['HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE', 'client-secret'], ['HUBBLE_DASHBOARD_SESSION_SECRET_FILE', 'session-secret']]) {
      expect(EXTERNAL_SECRETS['hubble-dashboard-oidc'].keys).toContain(key);
      expect(read('configmap.yaml')).toContain(`#   ${name}: ${mount.mountPath}/${key}`);
      expect(readme).toContain(`${name}=${mount.mountPath}/${key}`);
    }
  });

  it('mount the relay client certificates where the TLS settings in the ConfigMap look for them', () => {
    const tlsVolume = pod.spec.volumes.find((v) => v.secret?.secretName === 'hubble-relay-client-certs')!;
    expect(tlsVolume.secret!.optional).toBe(true);
    expect(tlsVolume.secret!.defaultMode).toBe(0o440);
    const mount = container.volumeMounts.find((m) => m.name === tlsVolume.name)!;
    expect(mount.readOnly).toBe(true);
    const mentioned = [...read('configmap.yaml').matchAll(/(HUBBLE_TLS_\w+): (\S+)/g)];
    const files = Object.fromEntries(mentioned.filter(([, name]) => name.endsWith('_FILE')).map(([, name, path]) => [name, path]));
    expect(files).toEqual({
      HUBBLE_TLS_CA_FILE: `${mount.mountPath}/ca.crt`,
      HUBBLE_TLS_CLIENT_CERT_FILE: `${mount.mountPath}/tls.crt`,
      HUBBLE_TLS_CLIENT_KEY_FILE: `${mount.mountPath}/tls.key`,
    });
    expect(read('configmap.yaml')).toContain(`HUBBLE_RELAY_ADDR: tls://${RELAY.host}:443`);
  });

  it('set only real settings, which the dashboard accepts, following hubble-relay', () => {
    const settings = new Set(settingNames());
    const names = [...Object.keys(configMap.data), ...(container.env ?? []).map((e) => e.name)];
    expect(names.filter((n) => !settings.has(n))).toEqual([]);
    const image = stageEnv(readDockerfile().stages.at(-1)!);
    const config = loadConfig({ ...image, ...configMap.data, DATABASE_URL: 'postgres://hubble:secret@postgres.db.svc:5432/hubble' });
    expect(config.relayAddr).toBe(`${RELAY.host}:${RELAY.servicePort}`);
    expect(config.port).toBe(containerPort('http'));
    expect(config.host).toBe('0.0.0.0');
    // Reached only through kubectl port-forward, which connects to the pod's loopback.
    expect(config.observer?.listen).toBe('127.0.0.1:4245');
  });

  it('probe real routes on the container\'s ports', () => {
    const probes = { startup: container.startupProbe, liveness: container.livenessProbe, readiness: container.readinessProbe };
    expect(probes.liveness?.httpGet.path).toBe('/healthz');
    expect(probes.readiness?.httpGet.path).toBe('/readyz');
    for (const [kind, probe] of Object.entries(probes)) {
      expect(probe, kind).toBeDefined();
      const route = join(projectRoot, 'app', probe!.httpGet.path, 'route.ts');
      expect(existsSync(route), `${kind}: ${route}`).toBe(true);
      expect(containerPort(String(probe!.httpGet.port)), kind).toBe(3000);
    }
    for (const p of one<Service>('Service').spec.ports) expect(containerPort(String(p.targetPort)), p.name).toBeDefined();
  });

  it('run the image\'s non-root user with a read-only root, writable only where the process writes', () => {
    const runtime = readDockerfile().stages.at(-1)!;
    const [uid, gid] = instruction(runtime, 'USER')!.args.split(':').map(Number);
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, runAsGroup: gid, fsGroup: gid });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    const workdir = instruction(runtime, 'WORKDIR')!.args;
    const writable = container.volumeMounts.filter((m) => !m.readOnly).map((m) => m.mountPath).sort();
    const dataDir = configMap.data.HUBBLE_DASHBOARD_DATA_DIR ?? stageEnv(runtime).HUBBLE_DASHBOARD_DATA_DIR;
    expect(writable).toEqual([dataDir, '/tmp', `${workdir}/.next/cache`].sort());
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  it('set resources, and a grace period longer than the collector\'s 25 s flush', () => {
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits.memory).toMatch(/^\d+(Mi|Gi)$/);
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
    expect(deployment.spec.replicas).toBe(1);
  });

  it('let in only the kubelet\'s probes and Prometheus\' GET /metrics, and out only to hubble-relay, PostgreSQL and DNS', () => {
    const policy = one<CiliumNetworkPolicy>('CiliumNetworkPolicy').spec;
    expect(policy.ingress).toEqual([
      { fromEntities: ['host'], toPorts: [{ ports: [{ port: String(containerPort('http')), protocol: 'TCP' }] }] },
      {
        fromEndpoints: [expect.objectContaining({ matchLabels: { 'app.kubernetes.io/name': 'prometheus' } })],
        toPorts: [{ ports: [{ port: String(containerPort('http')), protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/metrics' }] } }],
      },
    ]);
    const egress = policy.egress.map((r) => ({ to: r.toEndpoints?.[0], ports: portsOf(r.toPorts) }));
    expect(policy.egress.every((r) => r.toEndpoints && !('toEntities' in r) && !('toCIDR' in r))).toBe(true);
    expect(egress).toEqual([
      { to: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': RELAY.label } }, ports: [`${RELAY.podPort}/TCP`] },
      { to: expect.objectContaining({ matchLabels: { 'app.kubernetes.io/name': 'postgresql' } }), ports: ['5432/TCP'] },
      { to: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }, ports: ['53/TCP', '53/UDP'] },
    ]);
  });

  it('listen unauthenticated on the pod IP only because the policy lets nobody else in', () => {
    expect(configMap.data.HUBBLE_DASHBOARD_ALLOW_UNAUTHENTICATED).toBe('true');
    const policy = one<CiliumNetworkPolicy>('CiliumNetworkPolicy').spec;
    for (const rule of policy.ingress) {
      const entities = rule.fromEntities ?? [];
      expect(entities.filter((e) => e !== 'host'), 'only the node itself').toEqual([]);
      expect(Object.keys(rule).filter((k) => k.startsWith('from')).sort()).toEqual(rule.fromEntities ? ['fromEntities'] : ['fromEndpoints']);
      // A pod admitted over the network may read nothing but the metrics, which show no flow.
      if (rule.fromEndpoints) {
        for (const ports of rule.toPorts ?? []) expect(ports.rules?.http).toEqual([{ method: 'GET', path: '/metrics' }]);
      }
    }
  });
});
