/**
 * The Dockerfile, checked without a Docker engine: the stages, what the runtime stage runs and as
 * whom, and that the build context holds every file the build copies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../server/project-root';
import { execForm, instruction, readDockerfile, stageEnv } from './testing/dockerfile';
import { settingNames } from './testing/settings';

const dockerfile = readDockerfile();
const runtime = dockerfile.stages.at(-1)!;

/** .dockerignore patterns (the simple forms this repository uses: names, folders, `*.ext`, `!keep`). */
function ignoredByDocker(path: string): boolean {
  const patterns = readFileSync(join(projectRoot, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let ignored = false;
  for (const pattern of patterns) {
    const negate = pattern.startsWith('!');
    const body = negate ? pattern.slice(1) : pattern;
    const re = new RegExp(`^${body.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`);
    if (re.test(path)) ignored = !negate;
  }
  return ignored;
}

describe('Dockerfile', () => {
  it('builds in stages from node:20-bookworm-slim and ends with the runtime stage', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['deps', 'runtime-deps', 'build', 'runtime']);
    expect(runtime.from).toBe('node:20-bookworm-slim');
    expect(dockerfile.stages.find((s) => s.name === 'build')?.from).toBe('deps');
  });

  it('installs with npm ci from the lock file, production dependencies only in the runtime image', () => {
    const run = (name: string) => dockerfile.stages.find((s) => s.name === name)!.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
    expect(run('deps')).toMatch(/npm ci\b/);
    expect(run('runtime-deps')).toMatch(/npm ci --omit=dev\b/);
    const build = run('build');
    expect(build).toMatch(/prisma generate/);
    expect(build).toMatch(/next build/);
    expect(stageEnv(dockerfile.stages.find((s) => s.name === 'build')!).PRISMA_SCHEMA_ENGINE_BINARY).toBeTruthy();
  });

  it('runs as a non-root user, the start command, with the ports and a node health check', () => {
    expect(instruction(runtime, 'USER')?.args).toBe('10001:10001');
    expect(execForm(instruction(runtime, 'CMD')!.args)).toEqual(['node', 'bin/hubble-dashboard.mjs', 'start']);
    expect(instruction(runtime, 'EXPOSE')?.args.split(/\s+/).sort()).toEqual(['3000', '4245']);
    const health = instruction(runtime, 'HEALTHCHECK')!.args;
    expect(execForm(health)[0]).toBe('node');
    expect(health).toMatch(/\/readyz/);
    expect(instruction(runtime, 'WORKDIR')?.args).toBe('/app');
  });

  it('listens on every interface in the container, and sets only real settings', () => {
    const env = stageEnv(runtime);
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '3000', HUBBLE_DASHBOARD_OBSERVER_ADDR: '0.0.0.0:4245', NODE_ENV: 'production' });
    const settings = new Set(settingNames());
    const notSettings = Object.keys(env).filter((k) => !settings.has(k));
    expect(notSettings.sort()).toEqual(['NEXT_TELEMETRY_DISABLED', 'NODE_ENV']);
  });

  it('copies into the runtime image what start needs, from the build stage, and the prebuilt web UI', () => {
    const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    const fromBuild = copies.filter((c) => c.startsWith('--from=build')).flatMap((c) => c.split(/\s+/).slice(1, -1));
    const paths = fromBuild.map((p) => p.replace(/^\/app\//, ''));
    for (const needed of ['bin', 'server', 'lib', 'proto', 'prisma', '.next', 'package.json', 'next.config.ts']) expect(paths).toContain(needed);
    for (const path of paths.filter((p) => p !== '.next')) expect(existsSync(join(projectRoot, path)), path).toBe(true);
    expect(copies.some((c) => /^--from=runtime-deps \/app\/node_modules /.test(c))).toBe(true);
    // start must find the build fresh, or it would try to rebuild inside a read-only container.
    expect(runtime.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n')).toMatch(/webBuildIsFresh/);
  });

  it('keeps the build context to sources: dependencies, builds, data and local secrets stay out', () => {
    for (const path of ['node_modules', 'node_modules/next/package.json', '.next', '.next/BUILD_ID', '.data/pglite', '.git', '.env', '.env.local', 'server/store/generated/client.ts']) {
      expect(ignoredByDocker(path), path).toBe(true);
    }
    for (const path of ['package.json', 'package-lock.json', 'bin/hubble-dashboard.mjs', 'server/main.ts', 'app/page.tsx', 'components', 'lib', 'proto', 'prisma/schema.prisma', 'prisma.config.ts', 'next.config.ts', 'tsconfig.json']) {
      expect(ignoredByDocker(path), path).toBe(false);
      expect(existsSync(join(projectRoot, path)), path).toBe(true);
    }
  });
});
