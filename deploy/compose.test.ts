/**
 * docker-compose.yml: validated by the Compose client itself (`config -q`, for each profile) and
 * read here for what the client does not check: profiles, health checks, the database the
 * dashboard is pointed at, real setting names, and the relay profile's refusal to start without
 * a relay address. No Docker engine is needed; the Compose client is.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { projectRoot } from '../server/project-root';
import { childEnv } from './testing/child-env';
import { readComposeFile, serviceEnv, type ComposeService } from './testing/compose-file';
import { execForm, instruction, readDockerfile, stageEnv } from './testing/dockerfile';
import { settingNames } from './testing/settings';

const compose = readComposeFile();
const dashboards = ['dashboard', 'dashboard-demo'] as const;
const imageCmd = execForm(instruction(readDockerfile().stages.at(-1)!, 'CMD')!.args);

/** The Compose client: Debian's docker-compose, else the docker CLI plugin. */
function composeCommand(): string[] {
  const probe = (argv: string[]) => spawnSync(argv[0], [...argv.slice(1), 'version'], { encoding: 'utf8' }).status === 0;
  if (probe(['docker-compose'])) return ['docker-compose'];
  if (probe(['docker', 'compose'])) return ['docker', 'compose'];
  throw new Error('no Compose client: install docker-compose (apt-get install docker-compose; .ci/run does) to validate docker-compose.yml');
}

function runCompose(args: string[], env: Record<string, string> = {}, input?: string) {
  const [cmd, ...pre] = composeCommand();
  return spawnSync(cmd, [...pre, ...args], {
    cwd: projectRoot, encoding: 'utf8', input, env: childEnv({ PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp', ...env }),
  });
}

describe('docker-compose.yml, checked by the Compose client', () => {
  it.each([
    ['no profile', [], {}],
    ['the demo profile', ['--profile', 'demo'], {}],
    ['the relay profile', ['--profile', 'relay'], { HUBBLE_RELAY_ADDR: 'hubble-relay.example:4245' }],
  ])('is valid with %s', (_, profile, env) => {
    const result = runCompose([...profile, 'config', '-q'], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('reports a broken file (the check can fail)', () => {
    const broken = 'services:\n  web:\n    image: x\n    depends_on:\n      db:\n        condition: service_healthy\n';
    const result = runCompose(['-f', '-', 'config', '-q'], {}, broken);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/db/);
  });
});

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 15 with a pg_isready health check on a named volume, in every profile', () => {
    const pg = compose.services.postgres;
    expect(pg.image).toBe('postgres:15');
    expect(pg.profiles).toBeUndefined();
    expect(JSON.stringify(pg.healthcheck?.test)).toMatch(/pg_isready/);
    const [volume, mountPath] = (pg.volumes ?? [])[0].split(':');
    expect(mountPath).toBe('/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  it('has one dashboard per profile, built from this repository, after PostgreSQL is healthy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['dashboard', 'dashboard-demo', 'postgres']);
    expect(compose.services.dashboard.profiles).toEqual(['relay']);
    expect(compose.services['dashboard-demo'].profiles).toEqual(['demo']);
    for (const name of dashboards) {
      const s: ComposeService = compose.services[name];
      expect(s.build, name).toBe('.');
      expect(s.depends_on, name).toEqual({ postgres: { condition: 'service_healthy' } });
      expect(Number.parseInt(s.stop_grace_period ?? '10s', 10), name).toBeGreaterThan(25);
      expect(s.ports, name).toEqual(['127.0.0.1:3000:3000', '127.0.0.1:4245:4245']);
    }
  });

  it('points each dashboard at the compose PostgreSQL, listening on every interface, with real settings only', () => {
    const pg = serviceEnv(compose.services.postgres, { POSTGRES_PASSWORD: 's3cret' });
    const settings = new Set(settingNames());
    for (const name of dashboards) {
      const env = serviceEnv(compose.services[name], { POSTGRES_PASSWORD: 's3cret' });
      const url = new URL(env.DATABASE_URL);
      expect([url.hostname, url.port, url.username, url.password, url.pathname]).toEqual(['postgres', '5432', pg.POSTGRES_USER, 's3cret', `/${pg.POSTGRES_DB}`]);
      expect(env).toMatchObject({ HOST: '0.0.0.0', HUBBLE_DASHBOARD_OBSERVER_ADDR: '0.0.0.0:4245', PORT: '3000' });
      expect(Object.keys(env).filter((k) => !settings.has(k)), name).toEqual([]);
    }
  });

  it('sets what the dashboard accepts: unauthenticated only while the ports reach the host\'s loopback alone', () => {
    const image = stageEnv(readDockerfile().stages.at(-1)!);
    for (const name of dashboards) {
      const env = { ...image, ...serviceEnv(compose.services[name], { HUBBLE_RELAY_ADDR: 'relay.example:4245' }) };
      expect(() => loadConfig(env), name).not.toThrow();
      expect(loadConfig(env).auth.mode).toBe('none');
      expect(env.HUBBLE_DASHBOARD_ALLOW_UNAUTHENTICATED).toBe('true');
      for (const port of compose.services[name].ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('runs the demo cluster in the demo profile by leaving HUBBLE_RELAY_ADDR unset, with the image command', () => {
    const demo = compose.services['dashboard-demo'];
    expect(serviceEnv(demo)).not.toHaveProperty('HUBBLE_RELAY_ADDR');
    expect(demo.command).toBeUndefined();
  });

  it('passes the relay address through in the relay profile and refuses to start without one', () => {
    const relay = compose.services.dashboard;
    expect(serviceEnv(relay, { HUBBLE_RELAY_ADDR: 'tls://relay:443' }).HUBBLE_RELAY_ADDR).toBe('tls://relay:443');
    const argv = (relay.command as string[]).map((a) => a.replace(/\$\$/g, '$'));
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv[2]).toMatch(new RegExp(`exec ${imageCmd.join(' ')}$`));
    const refused = spawnSync(argv[0], argv.slice(1), { cwd: projectRoot, encoding: 'utf8', env: childEnv({ PATH: process.env.PATH, HUBBLE_RELAY_ADDR: '' }) });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('hubble-dashboard: HUBBLE_RELAY_ADDR is not set: give the Hubble Relay address (host:port or tls://host:port), or use --profile demo\n');
  });
});
