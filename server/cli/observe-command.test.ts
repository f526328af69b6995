/**
 * `hubble-dashboard observe --input-file`, run as a process the way a user runs it, on the real
 * captures in shared/fixtures.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/hubble-dashboard.mjs', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../shared/fixtures/hubble-otel/', import.meta.url));
const http = join(fixtures, 'basic-sample-348-http-flows.jsonl');
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

async function observe(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, 'observe', ...args], { maxBuffer: 64 * 2 ** 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('observe --input-file', () => {
  it('prints every line as jsonpb when nothing is filtered, in file order', async () => {
    const { stdout } = await observe(['--input-file', http, '-o', 'jsonpb']);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(lines(http).map((l) => JSON.parse(l)));
  });

  it('selects what the flags select: --http-status 503 --last 5', async () => {
    const all503 = lines(http).filter((l) => JSON.parse(l).flow.l7?.http?.code === 503);
    expect(all503.length).toBeGreaterThan(5);
    const { stdout } = await observe(['--input-file', http, '--http-status', '503', '--last', '5', '-o', 'json']);
    expect(stdout.trim().split('\n')).toEqual(all503.slice(-5).map((l) => JSON.stringify(JSON.parse(l))));
  });

  it('bounds --since/--until by the line time, inclusive, and --first stops early', async () => {
    const all = lines(http).map((l) => JSON.parse(l));
    const since = all[10].time;
    const until = all[20].time;
    const { stdout } = await observe(['--input-file', http, '--since', since, '--until', until, '--first', '4', '-o', 'jsonpb']);
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(all.slice(10, 14));
  });

  it('prints compact lines like the CLI', async () => {
    const { stdout } = await observe(['--input-file', join(fixtures, 'basic-sample-5-http-flows.jsonl'), '--first', '1']);
    expect(stdout).toBe('Oct  4 14:28:38.735: istio-system/prometheus-6655946b9f-6xcpf:48532 (ID:16781) -> 10.128.0.4:9990 (world) http-request FORWARDED (HTTP/1.1 GET http://10.128.0.4:9990/metrics)\n');
  });

  it('warns about unparsable lines and keeps going; rejects bad flags with the flag named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'observe-'));
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, `${lines(http)[0]}\nnot json\n${lines(http)[1]}\n`);
    const ok = await observe(['--input-file', file, '-o', 'jsonpb']);
    expect(ok.stdout.trim().split('\n')).toHaveLength(2);
    expect(ok.stderr).toContain('line 2');
    const bad = await observe(['--input-file', file, '--verdict', 'dropped']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('invalid argument "dropped" for "--verdict" flag');
  });

  it('stops at a line over 64 KiB like bufio.Scanner', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'observe-'));
    const file = join(dir, 'long.jsonl');
    writeFileSync(file, `${lines(http)[0]}\n{"flow":{"Summary":"${'x'.repeat(70_000)}"}}\n${lines(http)[1]}\n`);
    const res = await observe(['--input-file', file, '-o', 'jsonpb']);
    expect(res.stdout.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('token too long');
    expect(res.code).not.toBe(0);
  });
});
