/**
 * docker-compose.yml as Compose reads it, for tests: YAML merge keys resolved, and the `${...}`
 * forms it uses interpolated from a given environment. Test code only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../../server/project-root';

export interface ComposeService {
  image?: string;
  build?: unknown;
  profiles?: string[];
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string };
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function readComposeFile(): ComposeFile {
  return parse(readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
}

/**
 * Compose's interpolation for the forms this file uses: `${NAME}`, `${NAME:-default}`, `$$`.
 * Any other form throws, so the file cannot drift into something this reads differently.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}/g, (match, name?: string, fallback?: string) => {
    if (match === '$$') return '$';
    if (name === undefined) throw new Error(`unsupported interpolation ${match}`);
    const value = env[name];
    return value === undefined || value === '' ? (fallback ?? '') : value;
  });
}

/** A service's environment as the container gets it. */
export function serviceEnv(service: ComposeService, env: Record<string, string | undefined> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v ?? ''), env)]));
}
