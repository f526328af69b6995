/**
 * `hubble-dashboard demo --listen HOST:PORT [--seed N] [--rate FLOWS_PER_S] [--replay FILE [--speed X]]`:
 * the simulated cluster alone, as a Hubble Relay the real `hubble` CLI can talk to.
 */
import { parseArgs } from 'node:util';
import { startDemoCluster } from '../demo/demo-cluster';
import { logger } from '../log/logger';
import { onShutdown } from './shutdown';
import { UsageError } from './usage-error';

const log = logger('demo');

function numberFlag(flag: string, value: string | undefined, fallback: number, integer: boolean, min = Number.MIN_VALUE): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag} ${value}: expected a ${min === 0 ? 'non-negative' : 'positive'} ${integer ? 'whole ' : ''}number`);
  }
  return n;
}

export async function run(args: string[]): Promise<void> {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        listen: { type: 'string', default: '127.0.0.1:4245' },
        seed: { type: 'string' },
        rate: { type: 'string' },
        replay: { type: 'string' },
        speed: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const listen = values.listen ?? '127.0.0.1:4245';
  if (!/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(listen)) throw new UsageError(`--listen ${listen}: expected HOST:PORT`);
  const seed = numberFlag('seed', values.seed, 1, true, 0);
  const rateFlowsPerS = numberFlag('rate', values.rate, 200, true);
  const replaySpeed = numberFlag('speed', values.speed, 1, false);
  if (values.speed !== undefined && !values.replay) throw new UsageError('--speed only applies with --replay FILE');

  const cluster = await startDemoCluster({ listen, seed, rateFlowsPerS, replayFile: values.replay, replaySpeed });
  log.info({ address: cluster.address, seed, rateFlowsPerS, replay: values.replay, nodes: cluster.source.nodes.length }, 'demo cluster serving the Observer API');
  process.stdout.write(`demo cluster listening on ${cluster.address} (try: hubble observe --server ${cluster.address} --last 20)\n`);
  onShutdown(cluster.stop);
}
