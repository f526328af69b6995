/**
 * The names of every setting server/config.ts reads. config.ts spells each variable's name once,
 * as a string literal (`str(env, 'PORT')`, `const name = '...'`), so those literals are the list;
 * some are read only in some modes (the proxy settings), which is why the source is read rather
 * than only observed. As a check that no name is built at run time, every name loadConfig asks an
 * environment for must be in the list. Test code only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../server/config';
import { projectRoot } from '../../server/project-root';

function namesAskedFor(): Set<string> {
  const asked = new Set<string>();
  const recorder = new Proxy({} as Record<string, string | undefined>, {
    get(_, name) {
      if (typeof name === 'string') asked.add(name);
      return undefined;
    },
  });
  loadConfig(recorder);
  return asked;
}

export function settingNames(): string[] {
  const source = readFileSync(join(projectRoot, 'server', 'config.ts'), 'utf8');
  const literals = new Set([...source.matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g)].map((m) => m[1]));
  const unlisted = [...namesAskedFor()].filter((name) => !literals.has(name));
  if (unlisted.length) throw new Error(`config.ts reads ${unlisted.join(', ')} without spelling the name as a literal`);
  return [...literals].sort();
}
