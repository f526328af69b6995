/**
 * `npm start` on a fresh clone has no production build of the web UI yet: build it once, and again
 * whenever a source file the UI is made of is newer than the build.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root';
import { logger } from './log/logger';

const log = logger('build');
const UI_SOURCES = ['app', 'components', 'lib', 'server', 'next.config.ts', 'package.json'];

function newestMtimeMs(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

/** True when .next holds a production build newer than every UI source file. */
export function webBuildIsFresh(root = projectRoot): boolean {
  const buildId = join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const builtAt = statSync(buildId).mtimeMs;
  return UI_SOURCES.every((p) => !existsSync(join(root, p)) || newestMtimeMs(join(root, p)) <= builtAt);
}

export async function ensureWebBuild(root = projectRoot): Promise<void> {
  if (webBuildIsFresh(root)) return;
  log.info('building the web UI (next build); this takes a minute on first start');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`next build failed with exit code ${code}`))));
  });
  log.info({ seconds: Math.round((Date.now() - started) / 1000) }, 'web UI built');
}
