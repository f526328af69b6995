/**
 * The one place that reads the environment. Every setting is typed, validated and has a
 * documented default; a wrong value stops start-up with a message naming the variable.
 */

import { GoDurationError, parseGoDuration } from '../lib/time/observe-duration';
import type { NamespaceScope } from '../lib/access/namespace-scope';
import { parseIPAddress, parseIPPrefix } from '../lib/filter/ip-address';
import { INCIDENT_NAMES, isIncidentName, type IncidentPlan } from './demo/incidents';
import { parseClusterName, parseDemoClusters, parseRelayTargets, type RelayTarget } from './ingest/relay-targets';
import { parseOidcSettings, type OidcSettings } from './access/oidc-settings';

/** A setting that could not be read; the message names the variable and what it accepts. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface RelayTlsConfig {
  /** PEM CA bundle; undefined uses the system roots. */
  caFile?: string;
  clientCertFile?: string;
  clientKeyFile?: string;
  /** Name expected in the server certificate, when it differs from the host dialled. */
  serverName?: string;
  /** Skip certificate verification (tests and labs only). */
  allowInsecure: boolean;
}

/** Where the Observer API served from the store listens. */
export interface ObserverListenConfig {
  /** `host:port` (`[ipv6]:port`); port 0 picks a free one. */
  listen: string;
  /**
   * Whether HUBBLE_DASHBOARD_OBSERVER_ADDR was set. The default port may well be taken (by
   * `kubectl port-forward svc/hubble-relay 4245:80`, the usual way to reach a relay): then the
   * dashboard warns and runs without the Observer API; a port set explicitly must be free.
   */
  explicit: boolean;
}

export interface Config {
  /** `host:port` or `tls://host:port`; undefined starts the built-in demo cluster. */
  relayAddr?: string;
  /** The relays HUBBLE_RELAY_ADDR lists, each with its cluster; empty starts the demo cluster(s). */
  relays: RelayTarget[];
  /** The cluster of a relay HUBBLE_RELAY_ADDR does not name (HUBBLE_CLUSTER_NAME, Cilium's `default`). */
  clusterName: string;
  /** The built-in demo's clusters, each its own relay (HUBBLE_DEMO_CLUSTERS, default `demo`). */
  demoClusters: string[];
  relayTls: RelayTlsConfig;
  /** Address the web UI and API listen on. */
  host: string;
  port: number;
  /** Seed and rate of the built-in demo cluster. */
  demoSeed: number;
  demoRateFlowsPerS: number;
  /** Demo incidents timed from the demo cluster's start, replacing its timeline (HUBBLE_DEMO_INCIDENTS). */
  demoIncidents: IncidentPlan[];
  logLevel: string;
  /** PostgreSQL connection string; undefined uses embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Where the embedded database (and nothing else) is kept. */
  dataDir: string;
  /** Flows older than this are dropped, a whole day partition at a time. */
  retentionHours: number;
  /**
   * The Observer gRPC API over the stored flows, so `hubble observe --server <this> --since 2d`
   * reads history (HUBBLE_DASHBOARD_OBSERVER_ADDR). Default `127.0.0.1:4245`, Hubble Relay's port
   * and the hubble CLI's default target (the built-in demo cluster listens on an ephemeral port, so
   * it is free by default); `off` disables it (undefined).
   */
  observer?: ObserverListenConfig;
  /** Who may see what (HUBBLE_DASHBOARD_AUTH and friends). */
  auth: AuthConfig;
}

/** Which groups see which namespaces: `*` for all. */
export interface GroupAccess {
  group: string;
  namespaces: NamespaceScope;
}

/**
 * `none`: everyone sees everything (only on loopback, or with HUBBLE_DASHBOARD_ALLOW_UNAUTHENTICATED);
 * `proxy`: an authenticating proxy in front (oauth2-proxy, an ingress with auth) names the user and
 * groups in headers, trusted only from the configured proxy addresses;
 * `oidc`: the dashboard signs users in with an OpenID Connect provider itself (server/access/oidc-*.ts).
 */
export type AuthConfig =
  | { mode: 'none' }
  | { mode: 'proxy'; trustedProxies: string[]; userHeader: string; groupsHeader: string; access: GroupAccess[] }
  | { mode: 'oidc'; oidc: OidcSettings; access: GroupAccess[] };

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const v = str(env, name);
  if (v === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name}=${v}: expected true or false`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = str(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name}=${v}: expected a whole number from ${min} to ${max}`);
  return n;
}

/** Parses `7d`, `48h`, `90m` or a number of hours. */
export function parseDurationHours(name: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(d|h|m)?$/i.exec(text.trim());
  if (!m) throw new ConfigError(`${name}=${text}: expected a duration such as 7d, 48h or 90m`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'h').toLowerCase();
  const hours = unit === 'd' ? n * 24 : unit === 'm' ? n / 60 : n;
  if (hours <= 0) throw new ConfigError(`${name}=${text}: must be longer than zero`);
  return hours;
}

const INCIDENT_PLAN = /^([a-z0-9-]+)@\+([^/]+)\/(.+)$/;

function goDurationMs(text: string): number {
  try {
    return Number(parseGoDuration(text) / 1_000_000n);
  } catch (e) {
    if (e instanceof GoDurationError) return NaN;
    throw e;
  }
}

/**
 * `policy-change@+45s/5m,dns-failure@+2m/1m`: the demo's incidents, timed from its start, instead of
 * its 20-minute timeline, so a demonstration or an end-to-end test knows exactly when they happen.
 */
export function parseDemoIncidents(name: string, text: string | undefined): IncidentPlan[] {
  if (text === undefined) return [];
  return text.split(',').map((part) => {
    const m = INCIDENT_PLAN.exec(part.trim());
    const [delayMs, durationMs] = m ? [goDurationMs(m[2]), goDurationMs(m[3])] : [NaN, NaN];
    if (!m || !isIncidentName(m[1]) || !(delayMs >= 0) || !(durationMs > 0)) {
      throw new ConfigError(`${name}=${text}: expected name@+delay/duration[,...] such as policy-change@+45s/5m; incidents: ${INCIDENT_NAMES.join(', ')}`);
    }
    return { name: m[1], delayMs, durationMs };
  });
}

export const DEFAULT_OBSERVER_ADDR = '127.0.0.1:4245';

const HOST_PORT = /^(\[[^\]\s]+\]|[^:\s[\]]+):(\d{1,5})$/;

function observerListen(env: Env): ObserverListenConfig | undefined {
  const name = 'HUBBLE_DASHBOARD_OBSERVER_ADDR';
  const v = str(env, name);
  if (v === undefined) return { listen: DEFAULT_OBSERVER_ADDR, explicit: false };
  if (/^off$/i.test(v)) return undefined;
  const m = HOST_PORT.exec(v);
  if (!m || Number(m[2]) > 65535) throw new ConfigError(`${name}=${v}: expected host:port (e.g. 127.0.0.1:4245, 0.0.0.0:4245, [::1]:4245) or off`);
  return { listen: v, explicit: true };
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|\[::1\]|localhost)$/i;

/** Whether a listen host is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

/** `sre=*;team-a=shop,payments`: group → namespaces. */
export function parseGroupAccess(name: string, text: string): GroupAccess[] {
  return text.split(';').filter((p) => p.trim()).map((part) => {
    const m = /^\s*([^=\s]+)\s*=\s*(.+?)\s*$/.exec(part);
    const namespaces = m?.[2] === '*' ? '*' : m?.[2].split(',').map((n) => n.trim()).filter(Boolean);
    if (!m || !namespaces || namespaces.length === 0) {
      throw new ConfigError(`${name}=${text}: expected group=namespace,namespace;group=* (e.g. sre=*;team-a=shop,payments)`);
    }
    return { group: m[1], namespaces };
  });
}

/** The OpenID Connect variables, spelled here like every other setting; oidc-settings.ts checks them. */
const OIDC_SETTINGS = {
  issuer: 'HUBBLE_DASHBOARD_OIDC_ISSUER',
  clientId: 'HUBBLE_DASHBOARD_OIDC_CLIENT_ID',
  clientSecret: 'HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET',
  clientSecretFile: 'HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE',
  publicUrl: 'HUBBLE_DASHBOARD_PUBLIC_URL',
  scopes: 'HUBBLE_DASHBOARD_OIDC_SCOPES',
  groupsClaim: 'HUBBLE_DASHBOARD_OIDC_GROUPS_CLAIM',
  userClaim: 'HUBBLE_DASHBOARD_OIDC_USER_CLAIM',
  sessionSecret: 'HUBBLE_DASHBOARD_SESSION_SECRET',
  sessionSecretFile: 'HUBBLE_DASHBOARD_SESSION_SECRET_FILE',
  sessionLifetime: 'HUBBLE_DASHBOARD_SESSION_LIFETIME',
  metricsToken: 'HUBBLE_DASHBOARD_METRICS_TOKEN',
  metricsTokenFile: 'HUBBLE_DASHBOARD_METRICS_TOKEN_FILE',
} as const;

function authConfig(env: Env, host: string, observer: ObserverListenConfig | undefined): AuthConfig {
  const mode = str(env, 'HUBBLE_DASHBOARD_AUTH') ?? 'none';
  const metricsToken = [OIDC_SETTINGS.metricsToken, OIDC_SETTINGS.metricsTokenFile].find((name) => str(env, name) !== undefined);
  if (metricsToken && mode !== 'oidc') {
    // Silently ignoring it would leave someone believing /metrics is protected.
    throw new ConfigError(`${metricsToken} applies only with HUBBLE_DASHBOARD_AUTH=oidc; with ${mode}, whoever reaches the port (the network policy or the proxy decides) may read /metrics: unset it`);
  }
  if (mode === 'none') {
    const exposed = [!isLoopbackHost(host) && `HOST=${host}`, observer && !isLoopbackHost(observer.listen.replace(/:\d+$/, '')) && `HUBBLE_DASHBOARD_OBSERVER_ADDR=${observer.listen}`].filter(Boolean);
    if (exposed.length && !bool(env, 'HUBBLE_DASHBOARD_ALLOW_UNAUTHENTICATED', false)) {
      throw new ConfigError(`${exposed.join(' and ')} would show every flow to anyone who can connect: set HUBBLE_DASHBOARD_AUTH=proxy or oidc (see README, Access control), listen on 127.0.0.1, or set HUBBLE_DASHBOARD_ALLOW_UNAUTHENTICATED=true where something else guards the port`);
    }
    return { mode: 'none' };
  }
  if (mode !== 'proxy' && mode !== 'oidc') throw new ConfigError(`HUBBLE_DASHBOARD_AUTH=${mode}: expected none, proxy or oidc`);
  if (observer && !isLoopbackHost(observer.listen.replace(/:\d+$/, ''))) {
    throw new ConfigError(`HUBBLE_DASHBOARD_OBSERVER_ADDR=${observer.listen}: the Observer API cannot tell who calls it, so with HUBBLE_DASHBOARD_AUTH=${mode} it listens on loopback only (reach it with kubectl port-forward) or is off`);
  }
  const access = str(env, 'HUBBLE_DASHBOARD_ACCESS');
  if (mode === 'oidc') {
    if (!access) throw new ConfigError('HUBBLE_DASHBOARD_AUTH=oidc needs HUBBLE_DASHBOARD_ACCESS: which groups see which namespaces, e.g. sre=*;team-a=shop,payments');
    return { mode, oidc: parseOidcSettings((name) => str(env, name), OIDC_SETTINGS), access: parseGroupAccess('HUBBLE_DASHBOARD_ACCESS', access) };
  }
  const proxies = str(env, 'HUBBLE_DASHBOARD_TRUSTED_PROXIES');
  if (!proxies) throw new ConfigError('HUBBLE_DASHBOARD_AUTH=proxy needs HUBBLE_DASHBOARD_TRUSTED_PROXIES: the addresses (IPs or CIDRs) of the authenticating proxy');
  if (!access) throw new ConfigError('HUBBLE_DASHBOARD_AUTH=proxy needs HUBBLE_DASHBOARD_ACCESS: which groups see which namespaces, e.g. sre=*;team-a=shop,payments');
  const trustedProxies = proxies.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of trustedProxies) {
    if (!parseIPAddress(p) && !parseIPPrefix(p)) throw new ConfigError(`HUBBLE_DASHBOARD_TRUSTED_PROXIES=${proxies}: ${JSON.stringify(p)} is not an IP address or CIDR`);
  }
  return {
    mode,
    trustedProxies,
    userHeader: (str(env, 'HUBBLE_DASHBOARD_AUTH_USER_HEADER') ?? 'X-Forwarded-User').toLowerCase(),
    groupsHeader: (str(env, 'HUBBLE_DASHBOARD_AUTH_GROUPS_HEADER') ?? 'X-Forwarded-Groups').toLowerCase(),
    access: parseGroupAccess('HUBBLE_DASHBOARD_ACCESS', access),
  };
}

/** Reads and validates the configuration from an environment (process.env by default). */
export function loadConfig(env: Env = process.env): Config {
  const host = str(env, 'HOST') ?? '127.0.0.1';
  const observer = observerListen(env);
  const clusterName = parseClusterName('HUBBLE_CLUSTER_NAME', str(env, 'HUBBLE_CLUSTER_NAME'));
  return {
    relayAddr: str(env, 'HUBBLE_RELAY_ADDR'),
    relays: parseRelayTargets('HUBBLE_RELAY_ADDR', str(env, 'HUBBLE_RELAY_ADDR'), clusterName),
    clusterName,
    demoClusters: parseDemoClusters('HUBBLE_DEMO_CLUSTERS', str(env, 'HUBBLE_DEMO_CLUSTERS')),
    relayTls: {
      caFile: str(env, 'HUBBLE_TLS_CA_FILE'),
      clientCertFile: str(env, 'HUBBLE_TLS_CLIENT_CERT_FILE'),
      clientKeyFile: str(env, 'HUBBLE_TLS_CLIENT_KEY_FILE'),
      serverName: str(env, 'HUBBLE_TLS_SERVER_NAME'),
      allowInsecure: bool(env, 'HUBBLE_TLS_ALLOW_INSECURE', false),
    },
    host,
    port: int(env, 'PORT', 3000, 1, 65535),
    demoSeed: int(env, 'HUBBLE_DEMO_SEED', 1, 0, 2 ** 31 - 1),
    demoRateFlowsPerS: int(env, 'HUBBLE_DEMO_RATE', 200, 1, 1_000_000),
    demoIncidents: parseDemoIncidents('HUBBLE_DEMO_INCIDENTS', str(env, 'HUBBLE_DEMO_INCIDENTS')),
    logLevel: str(env, 'LOG_LEVEL') ?? 'info',
    databaseUrl: str(env, 'DATABASE_URL'),
    dataDir: str(env, 'HUBBLE_DASHBOARD_DATA_DIR') ?? './.data',
    retentionHours: parseDurationHours('HUBBLE_DASHBOARD_RETENTION', str(env, 'HUBBLE_DASHBOARD_RETENTION') ?? '7d'),
    observer,
    auth: authConfig(env, host, observer),
  };
}
