/**
 * A reader for this repository's Dockerfile, enough for tests to check what the image runs:
 * instructions per stage (continuation lines joined, comments dropped), ENV as a map, CMD as
 * argv. Test code only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../server/project-root';

export interface Instruction { keyword: string; args: string }
export interface Stage { name?: string; from: string; instructions: Instruction[] }

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  args: Record<string, string>;
  stages: Stage[];
}

function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    // Docker drops comment lines, inside a continued instruction too.
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) lines.push(full);
  }
  return lines;
}

export function parseDockerfile(text: string): Dockerfile {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const [, keyword, rest] = /^(\S+)\s*(.*)$/.exec(line)!;
    const kw = keyword.toUpperCase();
    if (kw === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!m) throw new Error(`cannot read: ${line}`);
      const from = m[1].replace(/\$\{(\w+)\}/g, (_, name: string) => args[name] ?? '');
      stages.push({ from, name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      if (kw !== 'ARG') throw new Error(`only ARG may come before FROM: ${line}`);
      const [name, value = ''] = rest.split('=');
      args[name] = value;
    } else {
      stages.at(-1)!.instructions.push({ keyword: kw, args: rest });
    }
  }
  return { args, stages };
}

export function readDockerfile(): Dockerfile {
  return parseDockerfile(readFileSync(join(projectRoot, 'Dockerfile'), 'utf8'));
}

/** ENV of a stage: `ENV A=1 B="two words"` lines, later ones winning. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const m of args.matchAll(/(\w+)=("([^"]*)"|\S*)/g)) env[m[1]] = m[3] ?? m[2];
  }
  return env;
}

/** The argv of an exec-form instruction (CMD, ENTRYPOINT, HEALTHCHECK's CMD). */
export function execForm(args: string): string[] {
  const json = args.slice(args.indexOf('['));
  const argv = JSON.parse(json) as unknown;
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === 'string')) throw new Error(`not an exec form: ${args}`);
  return argv;
}

export function instruction(stage: Stage, keyword: string): Instruction | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1);
}
