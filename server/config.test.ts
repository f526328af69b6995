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
    [{ HUBBLE_DASHBOARD_AUTH: 'oidc' }, /^HUBBLE_DASHBOARD_AUTH=oidc: expected none or proxy/],
  ])('refuses an incomplete or unsafe setup (%#)', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
