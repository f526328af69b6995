import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flowsResponseFromJson, flowsResponseToJson } from '../../lib/flow/jsonpb';
import { parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import type { FlowsResponse } from '../../lib/flow/flow';
import type { Db } from '../store/db';
import { createFlowWriter, type FlowWriter } from '../store/flow-writer';
import { createPartitionManager } from '../store/partitions';
import { openTestPglite, withTestSchema, type PgTestDb, type TestDb } from '../store/test-db';
import { projectRoot } from '../project-root';
import { exportFlows, parseExportArgs, type ExportFormat } from './export-command';
import { formatImportSummary, importExitCode, importFlows, retentionNote } from './import-command';
import { createProgress } from './progress';

const fixtureDir = fileURLToPath(new URL('../../../shared/fixtures/hubble-otel', import.meta.url));
const fixtureFiles = readdirSync(fixtureDir).filter((f) => f.endsWith('.jsonl')).sort();
const fixtureLines = (file: string) => readFileSync(join(fixtureDir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
const allFixtureLines = [...new Set(fixtureFiles.flatMap(fixtureLines))];
const ALL_TIME = { since: '2000-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' };

const tmp = mkdtempSync(join(tmpdir(), 'hubble-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tmpFile(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

async function runImport(db: Db, input: string | Buffer) {
  const messages: string[] = [];
  const progress = createProgress({ out: { write: (s: string) => void messages.push(...s.split('\n').filter(Boolean)) }, label: 'import' });
  const writer = createFlowWriter(db, { partitions: createPartitionManager(db) });
  const source = typeof input === 'string' ? createReadStream(input, { highWaterMark: 64 * 1024 }) : Readable.from([input]);
  const summary = await importFlows({ writer, input: source, progress, batchSize: 100 });
  return { summary, messages: messages.filter((m) => m.startsWith('line ') || m.startsWith('…')) };
}

async function runExport(db: Db, format: ExportFormat, range = ALL_TIME): Promise<{ text: string; flows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const flows = await exportFlows({ db, range, format, out });
  out.end();
  return { text: Buffer.concat(chunks).toString('utf8'), flows };
}

const timeNs = (line: string) => timestampToNs(parseTimestamp((JSON.parse(line) as { flow: { time: string } }).flow.time)!);
/** Lines sorted by time, ties by text: the order is then independent of how the database breaks ties. */
const byTime = (lines: string[]) => [...lines].sort((a, b) => Number(timeNs(a) - timeNs(b)) || a.localeCompare(b));

async function clear(db: Db): Promise<void> {
  await db.query('TRUNCATE flows, edge_minute, edge_hour');
}

const backends: Array<[string, () => Promise<TestDb>]> = [
  ['postgres', () => withTestSchema('import_export')],
  ['pglite', () => openTestPglite()],
];

describe.each(backends)('import and export on %s', (_name, open) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.cleanup());
  beforeEach(() => clear(t.db));

  it.each(fixtureFiles)('imports every line of %s, once', async (file) => {
    const lines = fixtureLines(file);
    const first = await runImport(t.db, join(fixtureDir, file));
    expect(first.messages).toEqual([]);
    expect(first.summary).toMatchObject({ lines: lines.length, inserted: lines.length, duplicates: 0, skippedLines: 0 });
    const [{ n }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows');
    expect(n).toBe(lines.length);
    const [{ edges }] = await t.db.query<{ edges: number }>('SELECT coalesce(sum(flows), 0)::int AS edges FROM edge_minute');
    expect(edges).toBe(lines.length);

    const again = await runImport(t.db, join(fixtureDir, file));
    expect(again.summary).toMatchObject({ inserted: 0, duplicates: lines.length, skippedLines: 0 });
    expect(importExitCode(again.summary)).toBe(0);
    const [{ n: after }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM flows');
    expect(after).toBe(lines.length);
  });

  it('exports exactly the imported lines as jsonpb, in time order', async () => {
    for (const file of fixtureFiles) await runImport(t.db, join(fixtureDir, file));
    const { text, flows } = await runExport(t.db, 'jsonpb');
    const exported = text.split('\n');
    expect(exported.pop()).toBe('');
    expect(flows).toBe(allFixtureLines.length);
    for (let i = 1; i < exported.length; i++) expect(timeNs(exported[i]) / 1000n >= timeNs(exported[i - 1]) / 1000n).toBe(true);
    expect(byTime(exported).map((l) => JSON.parse(l))).toEqual(byTime(allFixtureLines).map((l) => JSON.parse(l)));
    // Byte for byte the normalized line the parser prints (what `hubble observe` printed, re-serialized).
    const normalized = new Set(allFixtureLines.map((l) => flowsResponseToJson(flowsResponseFromJson(l).response)));
    for (const line of exported) expect(normalized.has(line)).toBe(true);
  });

  it('exports only the requested range, both ends inclusive', async () => {
    const file = 'basic-sample-10-flows.jsonl';
    await runImport(t.db, join(fixtureDir, file));
    const times = fixtureLines(file).map((l) => (JSON.parse(l) as { flow: { time: string } }).flow.time);
    const { text, flows } = await runExport(t.db, 'jsonpb', { since: times[2], until: times[5] });
    expect(flows).toBe(4);
    expect(text.trim().split('\n').map((l) => (JSON.parse(l) as { flow: { time: string } }).flow.time)).toEqual(times.slice(2, 6));
  });

  it('reports bad lines by number and imports the good ones', async () => {
    const [a, b, c] = fixtureLines('basic-sample-10-flows.jsonl');
    const unknownEnum = c.replace('"verdict":"FORWARDED"', '"verdict":"FUTURE_VERDICT"');
    const huge = `{"flow":{"time":"2021-06-16T16:52:13Z","Summary":"${'x'.repeat(1024 * 1024 + 10)}"}}`;
    const text = [a, a.slice(0, 200), 'garbage', '', huge, unknownEnum, '[1,2]', `${b}\r`, '{"flow":{"verdict":"DROPPED"}}'].join('\n');
    const { summary, messages } = await runImport(t.db, Buffer.from(text));
    expect(messages).toEqual([
      expect.stringMatching(/^line 2: not valid JSON: /),
      expect.stringMatching(/^line 3: not valid JSON: /),
      'line 5: longer than 1048576 bytes, skipped',
      'line 6: warning: unknown verdict value "FUTURE_VERDICT" (stored as it is)',
      'line 7: not a JSON object',
      'line 9: flow has no time, skipped',
    ]);
    expect(summary).toMatchObject({ lines: 9, inserted: 3, duplicates: 0, skippedLines: 5, failedLines: 5 });
    expect(importExitCode(summary)).toBe(0);
    expect(formatImportSummary(summary)).toMatch(/^imported 3 flows \(0 duplicates already stored, 5 lines skipped\) in \d+\.\d s$/);
    const rows = await t.db.query<{ raw: string; verdict: number }>('SELECT raw, verdict FROM flows ORDER BY time');
    expect(rows.map((r) => JSON.parse(r.raw))).toEqual([a, b, unknownEnum].map((l) => JSON.parse(l)));
  });

  it('fails with exit code 1 when no line could be imported', async () => {
    const { summary } = await runImport(t.db, Buffer.from('garbage\n{"flow":\n'));
    expect(summary).toMatchObject({ inserted: 0, skippedLines: 2 });
    expect(importExitCode(summary)).toBe(1);
  });

  it('neutralizes formulas in CSV exports', async () => {
    const line = fixtureLines('basic-sample-10-flows.jsonl')[0]
      .replace('"namespace":"bookinfo",', '')
      .replace('"pod_name":"reviews-v1-545db77b95-s6jb8"', '"pod_name":"=HYPERLINK(\\"http://evil\\")"')
      .replace(/"node_name":"[^"]*"/g, '"node_name":"+cmd"');
    await runImport(t.db, Buffer.from(`${line}\n`));
    const records = (await runExport(t.db, 'csv')).text.split('\r\n');
    expect(records[0]).toBe('time,node,source,destination,dst port,protocol,verdict,drop reason,l7 summary,policy');
    expect(records[1]).toBe(`2021-06-16T16:52:13.136834446Z,'+cmd,"'=HYPERLINK(""http://evil"")",10.0.2.1,42044,TCP,FORWARDED,,,`);
    expect(records[2]).toBe('');
  });
});

describe('reading lines', () => {
  /** Imports byte chunks into a writer that only records, with a small line cap. */
  async function importChunks(chunks: Buffer[], maxLineBytes: number) {
    const written: FlowsResponse[] = [];
    const writer: FlowWriter = {
      async write(responses) {
        written.push(...responses);
        return { inserted: responses.length, duplicates: 0, skipped: 0 };
      },
    };
    const messages: string[] = [];
    const out = { write: (s: string) => void messages.push(...s.split('\n').filter((m) => m.startsWith('line '))) };
    const summary = await importFlows({ writer, input: Readable.from(chunks), progress: createProgress({ out, label: 'import' }), maxLineBytes, batchSize: 2 });
    return { summary, messages, summaries: written.map((r) => r.flow?.Summary) };
  }
  const flow = (summary: string) => JSON.stringify({ flow: { time: '2024-05-01T12:00:00Z', Summary: summary } });
  const cut = (bytes: Buffer, at: number[]) => [0, ...at].map((from, i) => bytes.subarray(from, [...at, bytes.length][i]));

  it('joins lines across chunks, takes CRLF, a byte order mark and a last line without newline', async () => {
    const bytes = Buffer.from(`\uFEFF${flow('a')}\r\n\n${flow('b')}\n${flow('ü')}`);
    // The last cut falls inside the two bytes of ü.
    const { summary, messages, summaries } = await importChunks(cut(bytes, [7, 50, bytes.indexOf(Buffer.from('ü')) + 1]), 1000);
    expect(messages).toEqual([]);
    expect(summaries).toEqual(['a', 'b', 'ü']);
    expect(summary).toMatchObject({ lines: 4, inserted: 3, skippedLines: 0, bytes: bytes.length });
  });

  it('skips overlong lines, also across chunks and at the end, and goes on', async () => {
    const long = flow('x'.repeat(200));
    const bytes = Buffer.from(`${flow('a')}\n${long}\n${flow('b')}\n${long}`);
    const { summary, messages, summaries } = await importChunks(cut(bytes, [60, 120, 180, 300]), 100);
    expect(messages).toEqual(['line 2: longer than 100 bytes, skipped', 'line 4: longer than 100 bytes, skipped']);
    expect(summaries).toEqual(['a', 'b']);
    expect(summary).toMatchObject({ lines: 4, inserted: 2, skippedLines: 2, failedLines: 2 });
  });

  it('prints the first 100 reports and counts the rest', async () => {
    const { summary, messages } = await importChunks([Buffer.from('nope\n'.repeat(150))], 1000);
    expect(messages).toHaveLength(100);
    expect(summary).toMatchObject({ lines: 150, skippedLines: 150, inserted: 0 });
    expect(importExitCode(summary)).toBe(1);
  });
});

describe('retentionNote', () => {
  const base = { bytes: 1, lines: 1, inserted: 1, duplicates: 0, skippedLines: 0, failedLines: 0, elapsedS: 1 };
  const now = Date.UTC(2024, 4, 8);
  it('warns only when newly stored flows are older than the retention', () => {
    expect(retentionNote({ ...base, oldestFlowMs: now - 169 * 3_600_000 }, 168, now)).toMatch(/^note: some imported flows are older than the retention/);
    expect(retentionNote({ ...base, oldestFlowMs: now - 167 * 3_600_000 }, 168, now)).toBeUndefined();
    expect(retentionNote({ ...base, inserted: 0, oldestFlowMs: 0 }, 168, now)).toBeUndefined();
  });
});

describe('export arguments', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);
  it('takes RFC 3339 and durations before now', () => {
    expect(parseExportArgs(['--since', '2h', '-o', 'csv'], now)).toEqual({
      range: { since: '2024-05-01T10:00:00Z', until: '2024-05-01T12:00:00Z' }, format: 'csv', output: undefined,
    });
    expect(parseExportArgs(['--since', '1h30m', '--until', '2024-05-01T11:59:00.123456789Z'], now).range)
      .toEqual({ since: '2024-05-01T10:30:00Z', until: '2024-05-01T11:59:00.123456789Z' });
    expect(parseExportArgs(['--since', '2024-04-30', '--until', '2024-05-01T11:59:00.123456780Z'], now).range)
      .toEqual({ since: '2024-04-30T00:00:00Z', until: '2024-05-01T11:59:00.123456780Z' });
  });

  it('rejects bad values as usage errors', () => {
    expect(() => parseExportArgs([], now)).toThrow(/--since is required/);
    expect(() => parseExportArgs(['--since', 'yesterday'], now)).toThrow(/--since: failed to convert yesterday to time/);
    expect(() => parseExportArgs(['--since', '1h', '-o', 'xml'], now)).toThrow(/-o xml/);
    expect(() => parseExportArgs(['--since', '1h', '--until', '2h'], now)).toThrow(/after --until/);
  });
});

describe('the commands as a user runs them (PostgreSQL)', () => {
  const exec = promisify(execFile);
  let t: PgTestDb;
  beforeAll(async () => {
    t = await withTestSchema('import_cli');
  });
  afterAll(() => t?.cleanup());

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await exec(process.execPath, ['bin/hubble-dashboard.mjs', ...args], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'warn', HUBBLE_DASHBOARD_RETENTION: '7d' },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('imports, dedupes, exports, and exits 0, 1 or 2', async () => {
    const file = join(fixtureDir, 'basic-sample-348-http-flows.jsonl');
    const first = await cli(['import', file]);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/^imported 348 flows \(0 duplicates already stored, 0 lines skipped\) in \d+\.\d s\n$/);
    expect(first.stderr).toContain('note: some imported flows are older than the retention (HUBBLE_DASHBOARD_RETENTION, 168 h)');
    const again = await cli(['import', file]);
    expect(again.stdout).toMatch(/^imported 0 flows \(348 duplicates already stored, 0 lines skipped\)/);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('retention');

    const out = join(tmp, 'export.jsonl');
    const exported = await cli(['export', '--since', '2021-01-01T00:00:00Z', '--output', out]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(/exported 348 flows \(jsonpb\)/);
    expect(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual(fixtureLines('basic-sample-348-http-flows.jsonl').map((l) => JSON.parse(l)));
    const stdout = await cli(['export', '--since', '2021-01-01T00:00:00Z', '-o', 'csv']);
    expect(stdout.stdout.split('\r\n')).toHaveLength(348 + 2);

    const bad = await cli(['import', tmpFile('bad.jsonl', 'nope\n{"flow":{}}\n')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 1: not valid JSON: ');
    expect(bad.stderr).toContain('line 2: flow has no time, skipped');
    expect((await cli(['import'])).code).toBe(2);
    expect((await cli(['import', join(tmp, 'missing.jsonl')])).code).toBe(2);
    expect((await cli(['export', '--since', 'soon'])).code).toBe(2);
    expect(await cli(['export', '--since', '1h', '--output', join(tmp, 'no-such-dir', 'x.jsonl')])).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot write (ENOENT)') });
  }, 60_000);
});
