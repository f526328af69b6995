/**
 * The settings server/config.ts reads, .env.example and the README's configuration table must
 * name the same variables, and the defaults .env.example shows must be the real defaults.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { projectRoot } from '../server/project-root';
import { settingNames } from './testing/settings';

interface ExampleEntry { name: string; value: string }

/** `# NAME=value` lines (every setting is commented out); prose lines never start with `NAME=`. */
function exampleEntries(): ExampleEntry[] {
  return readFileSync(join(projectRoot, '.env.example'), 'utf8').split('\n')
    .map((line) => /^#?\s?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1], value: m[2] }));
}

/** The first column of the table under "## Configuration": each backticked name in it. */
function readmeTableNames(): string[] {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration\n'), readme.indexOf('\n## ', readme.indexOf('## Configuration\n') + 1));
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
}

describe('settings documentation', () => {
  const names = settingNames();

  it('finds the settings config.ts reads', () => {
    expect(names).toEqual(expect.arrayContaining(['HUBBLE_RELAY_ADDR', 'DATABASE_URL', 'PORT', 'LOG_LEVEL']));
  });

  it('.env.example names every setting once, and nothing else', () => {
    const listed = exampleEntries().map((e) => e.name);
    expect([...listed].sort()).toEqual(names);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('.env.example shows each default exactly as config.ts applies it, in either access mode', () => {
    // The proxy settings are read only in proxy mode: compare there too.
    const proxy = { HUBBLE_DASHBOARD_AUTH: 'proxy', HUBBLE_DASHBOARD_TRUSTED_PROXIES: '10.0.0.7', HUBBLE_DASHBOARD_ACCESS: 'sre=*' };
    for (const base of [{}, proxy] as Array<Record<string, string>>) {
      const defaults = loadConfig(base);
      for (const { name, value } of exampleEntries()) {
        if (value === '' || name in base) continue; // unset by default; the comment above it says what that means
        const config = loadConfig({ ...base, [name]: value });
        if (name === 'HUBBLE_DASHBOARD_OBSERVER_ADDR') {
          // Setting it explicitly makes a taken port fatal; the address itself must be the default.
          expect(config.observer?.listen, name).toBe(defaults.observer?.listen);
          continue;
        }
        expect(config, `${name}=${value}`).toEqual(defaults);
      }
    }
  });

  it('.env.example leaves empty exactly the settings that are unset by default', () => {
    const unset = exampleEntries().filter((e) => e.value === '').map((e) => e.name).sort();
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({ relayAddr: undefined, databaseUrl: undefined, demoIncidents: [], auth: { mode: 'none' } });
    expect(defaults.relayTls).toEqual({ allowInsecure: false, caFile: undefined, clientCertFile: undefined, clientKeyFile: undefined, serverName: undefined });
    expect(unset).toEqual([
      'DATABASE_URL', 'HUBBLE_DASHBOARD_ACCESS',
      'HUBBLE_DASHBOARD_METRICS_TOKEN', 'HUBBLE_DASHBOARD_METRICS_TOKEN_FILE',
      'HUBBLE_DASHBOARD_OIDC_CLIENT_ID', 'HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET', 'HUBBLE_DASHBOARD_OIDC_CLIENT_SECRET_FILE', 'HUBBLE_DASHBOARD_OIDC_ISSUER',
      'HUBBLE_DASHBOARD_PUBLIC_URL', 'HUBBLE_DASHBOARD_SESSION_SECRET', 'HUBBLE_DASHBOARD_SESSION_SECRET_FILE',
      'HUBBLE_DASHBOARD_TRUSTED_PROXIES', 'HUBBLE_DEMO_INCIDENTS', 'HUBBLE_RELAY_ADDR',
      'HUBBLE_TLS_CA_FILE', 'HUBBLE_TLS_CLIENT_CERT_FILE', 'HUBBLE_TLS_CLIENT_KEY_FILE', 'HUBBLE_TLS_SERVER_NAME',
    ]);
  });

  it('the README configuration table has a row for every setting, and only settings', () => {
    const documented = readmeTableNames();
    expect([...documented].sort()).toEqual(names);
  });
});
