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
