import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { scheduleDemoIncidents } from './demo/incidents';

describe('HUBBLE_DEMO_INCIDENTS', () => {
  it('plans incidents relative to the demo start, none by default', () => {
    expect(loadConfig({}).demoIncidents).toEqual([]);
    const plans = loadConfig({ HUBBLE_DEMO_INCIDENTS: 'policy-change@+45s/5m, dns-failure@+0s/1m30s' }).demoIncidents;
    expect(plans).toEqual([
      { name: 'policy-change', delayMs: 45_000, durationMs: 300_000 },
      { name: 'dns-failure', delayMs: 0, durationMs: 90_000 },
    ]);
    expect(scheduleDemoIncidents(plans, 1_000_000)).toEqual([
      { name: 'policy-change', fromMs: 1_045_000, toMs: 1_345_000 },
      { name: 'dns-failure', fromMs: 1_000_000, toMs: 1_090_000 },
    ]);
  });

  it.each(['policy-change', 'policy-change@45s/5m', 'outage@+1s/1m', 'policy-change@+1s/0s', 'policy-change@+x/1m', 'policy-change@-1s/1m'])(
    'refuses %j naming the variable and the known incidents', (value) => {
      expect(() => loadConfig({ HUBBLE_DEMO_INCIDENTS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ HUBBLE_DEMO_INCIDENTS: value })).toThrow(/^HUBBLE_DEMO_INCIDENTS=.*policy-change, dns-failure, backend-503$/);
    });
});

describe('access control settings', () => {
  const proxy = { HUBBLE_DASHBOARD_AUTH: 'proxy', HUBBLE_DASHBOARD_TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1', HUBBLE_DASHBOARD_ACCESS: 'sre=*;team-a=shop,payments' };

  it('is off by default on loopback, and refuses to expose flows without it', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'none' });
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/^HOST=0\.0\.0\.0 would show every flow to anyone/);
    expect(() => loadConfig({ HUBBLE_DASHBOARD_OBSERVER_ADDR: '0.0.0.0:4245' })).toThrow(/^HUBBLE_DASHBOARD_OBSERVER_ADDR=0\.0\.0\.0:4245 would show/);
    expect(loadConfig({ HOST: '0.0.0.0', HUBBLE_DASHBOARD_ALLOW_UNAUTHENTICATED: 'true' }).auth).toEqual({ mode: 'none' });
    expect(loadConfig({ HOST: '::1', HUBBLE_DASHBOARD_OBSERVER_ADDR: '[::1]:4245' }).auth).toEqual({ mode: 'none' });
  });

  it('reads the proxy settings and the group → namespace map', () => {
    expect(loadConfig({ ...proxy, HOST: '0.0.0.0' }).auth).toEqual({
      mode: 'proxy', trustedProxies: ['10.0.0.0/8', '127.0.0.1'], userHeader: 'x-forwarded-user', groupsHeader: 'x-forwarded-groups',
      access: [{ group: 'sre', namespaces: '*' }, { group: 'team-a', namespaces: ['shop', 'payments'] }],
    });
  });

  it.each([
    [{ ...proxy, HUBBLE_DASHBOARD_TRUSTED_PROXIES: undefined }, /needs HUBBLE_DASHBOARD_TRUSTED_PROXIES/],
    [{ ...proxy, HUBBLE_DASHBOARD_ACCESS: undefined }, /needs HUBBLE_DASHBOARD_ACCESS/],
    [{ ...proxy, HUBBLE_DASHBOARD_TRUSTED_PROXIES: 'proxy.local' }, /"proxy\.local" is not an IP address or CIDR/],
    [{ ...proxy, HUBBLE_DASHBOARD_ACCESS: 'team-a' }, /^HUBBLE_DASHBOARD_ACCESS=team-a: expected group=namespace/],
    [{ ...proxy, HUBBLE_DASHBOARD_OBSERVER_ADDR: '0.0.0.0:4245' }, /Observer API cannot tell who calls it/],
    [{ HUBBLE_DASHBOARD_AUTH: 'ldap' }, /^HUBBLE_DASHBOARD_AUTH=ldap: expected none, proxy or oidc/],
  ])('refuses an incomplete or unsafe setup (%#)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('several relays (HUBBLE_RELAY_ADDR, HUBBLE_CLUSTER_NAME) and demo clusters (HUBBLE_DEMO_CLUSTERS)', () => {
  it('keeps one plain address as the one relay it always was, in the default cluster', () => {
    const config = loadConfig({ HUBBLE_RELAY_ADDR: 'hubble-relay.kube-system.svc:80' });
    expect(config.relayAddr).toBe('hubble-relay.kube-system.svc:80');
    expect(config.relays).toEqual([{ cluster: 'default', address: 'hubble-relay.kube-system.svc:80', named: false }]);
    expect(loadConfig({ HUBBLE_RELAY_ADDR: 'relay:80', HUBBLE_CLUSTER_NAME: 'prod-eu' }).relays[0].cluster).toBe('prod-eu');
    expect(loadConfig({}).relays).toEqual([]);
  });

  it('reads a list of cluster=address, a relay without a name taking HUBBLE_CLUSTER_NAME', () => {
    const config = loadConfig({ HUBBLE_RELAY_ADDR: ' east=tls://hubble-relay.east.example:443 , west = tls://hubble-relay.west.example:443,relay.local' });
    expect(config.relays).toEqual([
      { cluster: 'east', address: 'tls://hubble-relay.east.example:443', named: true },
      { cluster: 'west', address: 'tls://hubble-relay.west.example:443', named: true },
      { cluster: 'default', address: 'relay.local', named: false },
    ]);
  });

  it.each([
    ['east=relay-a:4245,east=relay-b:4245', /^HUBBLE_RELAY_ADDR=.*two relays for cluster east/],
    ['relay-a:4245,relay-b:4245', /^HUBBLE_RELAY_ADDR=.*two relays for cluster default; name each relay's cluster/],
    ['east=relay-a,west=tls://RELAY-A:4245', /^HUBBLE_RELAY_ADDR=.*relay-a:4245 is listed twice/],
    ['east=relay-a:4245,', /^HUBBLE_RELAY_ADDR=.*an empty entry/],
    ['East=relay-a:4245', /^HUBBLE_RELAY_ADDR=.*"East" is not a cluster name/],
    ['east=', /^HUBBLE_RELAY_ADDR=.*no address after east=/],
  ])('refuses HUBBLE_RELAY_ADDR=%s naming the variable', (value, message) => {
    expect(() => loadConfig({ HUBBLE_RELAY_ADDR: value })).toThrow(ConfigError);
    expect(() => loadConfig({ HUBBLE_RELAY_ADDR: value })).toThrow(message);
  });

  it('checks HUBBLE_CLUSTER_NAME as Cilium checks cluster-name', () => {
    expect(loadConfig({}).clusterName).toBe('default');
    expect(() => loadConfig({ HUBBLE_CLUSTER_NAME: 'my_cluster' })).toThrow(/^HUBBLE_CLUSTER_NAME=my_cluster: "my_cluster" is not a cluster name/);
    expect(() => loadConfig({ HUBBLE_CLUSTER_NAME: 'a'.repeat(33) })).toThrow(ConfigError);
  });

  it('runs one demo cluster named demo by default, or the clusters listed', () => {
    expect(loadConfig({}).demoClusters).toEqual(['demo']);
    expect(loadConfig({ HUBBLE_DEMO_CLUSTERS: 'east, west' }).demoClusters).toEqual(['east', 'west']);
    expect(() => loadConfig({ HUBBLE_DEMO_CLUSTERS: 'east,east' })).toThrow(/^HUBBLE_DEMO_CLUSTERS=east,east: cluster east is listed twice/);
    expect(() => loadConfig({ HUBBLE_DEMO_CLUSTERS: 'c1,c2,c3,c4,c5,c6,c7,c8,c9' })).toThrow(/at most 8 demo clusters/);
    expect(() => loadConfig({ HUBBLE_DEMO_CLUSTERS: 'east,-west' })).toThrow(/"-west" is not a cluster name/);
  });
});

describe('HUBBLE_DASHBOARD_AUTH=oidc', () => {
  const oidc = {
    HOST: '0.0.0.0', HUBBLE_DASHBOARD_AUTH: 'oidc', HUBBLE_DASHBOARD_ACCESS: 'sre=*;team-a=shop',
    HUBBLE_DASHBOARD_OIDC_ISSUER: 'https://dex.example.com', HUBBLE_DASHBOARD_OIDC_CLIENT_ID: 'hubble-dashboard',
    HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET: 'client-secret', HUBBLE_DASHBOARD_PUBLIC_URL: 'https://hubble.example.com/',
    HUBBLE_DASHBOARD_SESSION_SECRET: 's'.repeat(32),
  };

  it('reads the provider, the public URL, the session settings and their defaults', () => {
    expect(loadConfig(oidc).auth).toEqual({
      mode: 'oidc',
      access: [{ group: 'sre', namespaces: '*' }, { group: 'team-a', namespaces: ['shop'] }],
      oidc: {
        issuer: 'https://dex.example.com', clientId: 'hubble-dashboard', clientSecret: 'client-secret',
        publicUrl: 'https://hubble.example.com', redirectUri: 'https://hubble.example.com/auth/callback',
        scopes: ['openid', 'profile', 'email', 'groups'], groupsClaim: 'groups', userClaim: 'email',
        sessionSecret: 's'.repeat(32), sessionLifetimeMs: 12 * 3_600_000, secureCookies: true,
      },
    });
    const custom = loadConfig({
      ...oidc, HUBBLE_DASHBOARD_OIDC_SCOPES: 'openid email', HUBBLE_DASHBOARD_OIDC_GROUPS_CLAIM: 'roles',
      HUBBLE_DASHBOARD_OIDC_USER_CLAIM: 'preferred_username', HUBBLE_DASHBOARD_SESSION_LIFETIME: '90m',
      HUBBLE_DASHBOARD_PUBLIC_URL: 'http://127.0.0.1:3000',
    }).auth;
    expect(custom).toMatchObject({ oidc: { scopes: ['openid', 'email'], groupsClaim: 'roles', userClaim: 'preferred_username', sessionLifetimeMs: 5_400_000, secureCookies: false } });
  });

  it('reads the secrets from files, as Kubernetes mounts Secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oidc-config-'));
    writeFileSync(join(dir, 'client-secret'), 'from-a-file\n');
    writeFileSync(join(dir, 'session-secret'), `${'f'.repeat(44)}\n`);
    const auth = loadConfig({
      ...oidc, HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET: undefined, HUBBLE_DASHBOARD_SESSION_SECRET: undefined,
      HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE: join(dir, 'client-secret'), HUBBLE_DASHBOARD_SESSION_SECRET_FILE: join(dir, 'session-secret'),
    }).auth;
    expect(auth).toMatchObject({ oidc: { clientSecret: 'from-a-file', sessionSecret: 'f'.repeat(44) } });
    expect(() => loadConfig({ ...oidc, HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET: undefined, HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE: join(dir, 'absent') }))
      .toThrow(/^HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE=.*absent: cannot read the file \(ENOENT\)/);
  });

  it.each([
    [{ HUBBLE_DASHBOARD_OIDC_ISSUER: undefined }, /^HUBBLE_DASHBOARD_AUTH=oidc needs HUBBLE_DASHBOARD_OIDC_ISSUER/],
    [{ HUBBLE_DASHBOARD_OIDC_ISSUER: 'dex.example.com' }, /^HUBBLE_DASHBOARD_OIDC_ISSUER=dex\.example\.com: expected an absolute URL/],
    [{ HUBBLE_DASHBOARD_OIDC_ISSUER: 'http://dex.example.com' }, /^HUBBLE_DASHBOARD_OIDC_ISSUER=http:\/\/dex\.example\.com: expected https:\/\//],
    [{ HUBBLE_DASHBOARD_OIDC_CLIENT_ID: undefined }, /needs HUBBLE_DASHBOARD_OIDC_CLIENT_ID/],
    [{ HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET: undefined }, /needs HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET or HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE/],
    [{ HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE: '/run/secret' }, /^HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET and HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE are both set/],
    [{ HUBBLE_DASHBOARD_PUBLIC_URL: undefined }, /needs HUBBLE_DASHBOARD_PUBLIC_URL/],
    [{ HUBBLE_DASHBOARD_PUBLIC_URL: 'https://example.com/hubble' }, /^HUBBLE_DASHBOARD_PUBLIC_URL=https:\/\/example\.com\/hubble: the dashboard is served at the root/],
    [{ HUBBLE_DASHBOARD_SESSION_SECRET: undefined }, /needs HUBBLE_DASHBOARD_SESSION_SECRET or HUBBLE_DASHBOARD_SESSION_SECRET_FILE/],
    [{ HUBBLE_DASHBOARD_SESSION_SECRET: 'changeme' }, /^HUBBLE_DASHBOARD_SESSION_SECRET: 8 characters is too short/],
    [{ HUBBLE_DASHBOARD_SESSION_LIFETIME: 'forever' }, /^HUBBLE_DASHBOARD_SESSION_LIFETIME=forever: expected a duration/],
    [{ HUBBLE_DASHBOARD_SESSION_LIFETIME: '3650d' }, /^HUBBLE_DASHBOARD_SESSION_LIFETIME=3650d: at most 7d; a session cannot be revoked/],
    [{ HUBBLE_DASHBOARD_SESSION_LIFETIME: '169h' }, /^HUBBLE_DASHBOARD_SESSION_LIFETIME=169h: at most 7d/],
    [{ HUBBLE_DASHBOARD_METRICS_TOKEN: 'short' }, /^HUBBLE_DASHBOARD_METRICS_TOKEN: 5 characters is too short/],
    [{ HUBBLE_DASHBOARD_METRICS_TOKEN: 't'.repeat(16), HUBBLE_DASHBOARD_METRICS_TOKEN_FILE: '/run/token' }, /^HUBBLE_DASHBOARD_METRICS_TOKEN and HUBBLE_DASHBOARD_METRICS_TOKEN_FILE are both set/],
    [{ HUBBLE_DASHBOARD_OIDC_SCOPES: 'email groups' }, /^HUBBLE_DASHBOARD_OIDC_SCOPES=email groups: must include openid/],
    [{ HUBBLE_DASHBOARD_OIDC_GROUPS_CLAIM: 'my groups' }, /^HUBBLE_DASHBOARD_OIDC_GROUPS_CLAIM=my groups: expected a claim name/],
    [{ HUBBLE_DASHBOARD_ACCESS: undefined }, /^HUBBLE_DASHBOARD_AUTH=oidc needs HUBBLE_DASHBOARD_ACCESS/],
    [{ HUBBLE_DASHBOARD_OBSERVER_ADDR: '0.0.0.0:4245' }, /with HUBBLE_DASHBOARD_AUTH=oidc it listens on loopback only/],
  ])('refuses an incomplete or unsafe setup, naming the variable (%#)', (change, message) => {
    expect(() => loadConfig({ ...oidc, ...change })).toThrow(ConfigError);
    expect(() => loadConfig({ ...oidc, ...change })).toThrow(message);
  });

  it('accepts a session lifetime up to 7 days', () => {
    expect(loadConfig({ ...oidc, HUBBLE_DASHBOARD_SESSION_LIFETIME: '7d' }).auth).toMatchObject({ oidc: { sessionLifetimeMs: 7 * 24 * 3_600_000 } });
  });

  it('reads the metrics token, directly or from a file, and refuses it outside oidc mode', () => {
    expect(loadConfig({ ...oidc, HUBBLE_DASHBOARD_METRICS_TOKEN: 'm'.repeat(24) }).auth).toMatchObject({ oidc: { metricsToken: 'm'.repeat(24) } });
    const dir = mkdtempSync(join(tmpdir(), 'metrics-token-'));
    writeFileSync(join(dir, 'metrics-token'), `${'n'.repeat(32)}\n`);
    expect(loadConfig({ ...oidc, HUBBLE_DASHBOARD_METRICS_TOKEN_FILE: join(dir, 'metrics-token') }).auth).toMatchObject({ oidc: { metricsToken: 'n'.repeat(32) } });
    expect(loadConfig(oidc).auth).not.toHaveProperty('oidc.metricsToken');
    const proxy = { HUBBLE_DASHBOARD_AUTH: 'proxy', HUBBLE_DASHBOARD_TRUSTED_PROXIES: '10.0.0.7', HUBBLE_DASHBOARD_ACCESS: 'sre=*' };
    expect(() => loadConfig({ ...proxy, HUBBLE_DASHBOARD_METRICS_TOKEN: 'm'.repeat(24) })).toThrow(/^HUBBLE_DASHBOARD_METRICS_TOKEN applies only with HUBBLE_DASHBOARD_AUTH=oidc; with proxy/);
    expect(() => loadConfig({ HUBBLE_DASHBOARD_METRICS_TOKEN_FILE: '/run/token' })).toThrow(/^HUBBLE_DASHBOARD_METRICS_TOKEN_FILE applies only with HUBBLE_DASHBOARD_AUTH=oidc; with none/);
  });

  it('keeps the Observer API on loopback or off', () => {
    expect(loadConfig({ ...oidc, HUBBLE_DASHBOARD_OBSERVER_ADDR: 'off' }).observer).toBeUndefined();
    expect(loadConfig({ ...oidc, HUBBLE_DASHBOARD_OBSERVER_ADDR: '127.0.0.1:4245' }).observer?.listen).toBe('127.0.0.1:4245');
  });

  it('.env.example shows the oidc defaults exactly as they apply', () => {
    const example = readFileSync(join(__dirname, '..', '.env.example'), 'utf8');
    const shown = [...example.matchAll(/^# (HUBBLE_DASHBOARD_(?:OIDC_\w+|SESSION_\w+))=(.+)$/gm)].map((m) => [m[1], m[2]] as const);
    expect(shown.map(([name]) => name).sort()).toEqual(['HUBBLE_DASHBOARD_OIDC_GROUPS_CLAIM', 'HUBBLE_DASHBOARD_OIDC_SCOPES', 'HUBBLE_DASHBOARD_OIDC_USER_CLAIM', 'HUBBLE_DASHBOARD_SESSION_LIFETIME']);
    for (const [name, value] of shown) expect(loadConfig({ ...oidc, [name]: value }), name).toEqual(loadConfig(oidc));
  });
});
