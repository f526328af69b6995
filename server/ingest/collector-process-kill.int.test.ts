/**
 * The collector runs in a child process and is killed with SIGKILL — no chance to flush — then
 * started again, first at once (the relay still holds what was missed: all of it is recovered, no
 * duplicates), then after a pause longer than the busy nodes' ring buffers last (what they no
 * longer hold is recorded as a not-recovered gap, per node, with its time range; the quiet node
 * still holds everything and gives it back). Last, SIGTERM: the buffered batch is written first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Flow } from '../../lib/flow/flow';
import { parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import { projectRoot } from '../project-root';
import { listGaps, readCollectorState, type StoredGap } from '../store/ingest-records';
import { withTestSchema, type PgTestDb } from '../store/test-db';
import type { CollectorProcessOptions } from './testing/collector-process';
import {
  compareWithSource, countStored, describeFlows, newestStoredMs, rollupTotals, sleep, storedFlows, waitFor,
} from './testing/ingest-checks';
import { startTestRelay, type TestRelay } from './testing/test-relay';

const ENTRY = join(projectRoot, 'server', 'ingest', 'testing', 'collector-process.ts');
const RELAY = 'killed-collector';
// Per node: the busy workers (~300-400 flows/s each) keep ~6-8 s, the control plane (~15/s) minutes.
const RATE = 1_000;
const BUFFER = 2_500;
const LONG_PAUSE_MS = 11_000;

interface Child { proc: ChildProcess; output: string[]; exited: Promise<number | null> }

const children: Child[] = [];

function startChild(opts: Partial<CollectorProcessOptions> & Pick<CollectorProcessOptions, 'databaseUrl' | 'relayAddr'>): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY, JSON.stringify({ relayKey: RELAY, batchMaxDelayMs: 100, relayBackoff: { baseMs: 100, capMs: 500 }, ...opts })], {
    cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child: Child = {
    proc, output: [],
    exited: new Promise((resolve) => proc.once('exit', (code) => resolve(code))),
  };
  children.push(child);
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      child.output.push(String(data));
      if (child.output.join('').includes('"msg":"ready"')) resolve(child);
    };
    // Logs (and the ready line) go to stderr; stdout is read too in case a command prints there.
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`collector process exited (${code}) before it was ready: ${child.output.join('').slice(-2000)}`)));
  });
}

async function kill(child: Child): Promise<void> {
  child.proc.kill('SIGKILL');
  await child.exited;
}

const nsOf = (time: string | undefined) => timestampToNs(parseTimestamp(time ?? '') ?? { seconds: 0, nanos: 0 });
/** Gap bounds are stored to the microsecond. */
const US = 1_000n;

/** The gap recorded for this flow's node and time, if any. */
function gapFor(gaps: StoredGap[], f: Flow): StoredGap | undefined {
  const ns = nsOf(f.time);
  return gaps.find((g) => g.detail?.startsWith(`node ${f.node_name} `) && ns >= nsOf(g.fromTime) - US && ns <= nsOf(g.toTime) + US);
}

describe('collector killed with SIGKILL and restarted', () => {
  let t: PgTestDb;
  let relay: TestRelay;
  beforeAll(async () => {
    t = await withTestSchema('ingest_kill');
    relay = await startTestRelay({ listen: '127.0.0.1:0', seed: 33, rateFlowsPerS: RATE, bufferCapacity: BUFFER });
  });
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await relay?.stop();
    await t?.cleanup();
  });

  it('recovers what the relay still holds, records what it no longer holds, and flushes on SIGTERM', async () => {
    const base = { databaseUrl: t.url, relayAddr: relay.address };
    const newest = async () => (await newestStoredMs(t.db)) ?? 0;

    // 1. Killed mid-stream and restarted at once.
    const first = await startChild(base);
    await waitFor('the first flows', async () => (await countStored(t.db)) > 3_000, 20_000);
    await kill(first);
    const killedAtMs = Date.now();
    await startChild(base).then(async (second) => {
      await waitFor('the restarted collector to catch up', async () => (await newest()) > killedAtMs + 2_000, 20_000);
      await kill(second);
    });
    const afterQuickRestart = await storedFlows(t.db);
    const quick = compareWithSource(relay.source, afterQuickRestart);
    expect(quick.fromMs).toBeLessThan(killedAtMs - 1_000);
    expect(quick.missing, `missing after a quick restart: ${describeFlows(quick.missing)}`).toHaveLength(0);
    expect(afterQuickRestart.times.size).toBe(afterQuickRestart.rows);

    // 2. Killed again, and kept down longer than the workers' buffers last.
    const resumePoint = (await readCollectorState(t.db, RELAY))?.newestFlowTime;
    expect(resumePoint).toBeTruthy();
    await sleep(LONG_PAUSE_MS);
    const third = await startChild(base);
    const restartedAtMs = Date.now();
    await waitFor('the collector to run past the restart', async () => (await newest()) > restartedAtMs + 1_500, 20_000);
    third.proc.kill('SIGTERM');
    expect(await third.exited).toBe(0);

    // 3. SIGTERM with a batch still open: nothing is written until stop() flushes it.
    const before = await countStored(t.db);
    const fourth = await startChild({ ...base, batchMaxDelayMs: 60_000, batchMaxFlows: 1_000_000 });
    await sleep(2_500);
    expect(await countStored(t.db)).toBe(before);
    fourth.proc.kill('SIGTERM');
    expect(await fourth.exited).toBe(0);
    expect(await countStored(t.db)).toBeGreaterThan(before + 1_000);

    // Every flow generated over the whole run is stored exactly once, or lies in a gap of its node.
    const stored = await storedFlows(t.db);
    const cmp = compareWithSource(relay.source, stored);
    const gaps = await listGaps(t.db, { relay: RELAY });
    const lost = gaps.filter((g) => g.kind === 'not-recovered');
    expect(gaps.filter((g) => g.kind !== 'not-recovered'), JSON.stringify(gaps)).toEqual([]);
    const unexplained = cmp.missing.filter((f) => !gapFor(lost, f));
    expect(unexplained, `missing without a gap: ${describeFlows(unexplained)}`).toHaveLength(0);
    expect(cmp.unexpected).toHaveLength(0);
    expect(stored.times.size).toBe(stored.rows);
    expect(await rollupTotals(t.db)).toEqual({ minute: stored.rows, hour: stored.rows });

    // The gaps are real and precise: each starts at the resume point, and flows of its node were lost in it.
    expect(lost.length).toBeGreaterThanOrEqual(1);
    for (const gap of lost) {
      expect(gap.fromTime).toBe(resumePoint);
      expect(Date.parse(gap.toTime)).toBeGreaterThan(Date.parse(gap.fromTime) + 1_000);
      expect(cmp.missing.filter((f) => gapFor([gap], f)).length).toBeGreaterThan(0);
    }
    // The quiet control-plane node still held the whole pause, and gave it back.
    expect(lost.some((g) => g.detail?.includes('control-plane'))).toBe(false);
    const pause = relay.source.flowsBetween(Date.parse(resumePoint ?? '') + 1, restartedAtMs - 1_000);
    const controlPlane = pause.filter((f) => f.node_name?.endsWith('control-plane'));
    expect(controlPlane.length).toBeGreaterThan(20);
    expect(controlPlane.filter((f) => !stored.times.has(f.uuid ?? ''))).toEqual([]);
  }, 60_000);
});
