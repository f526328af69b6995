/** `hubble-dashboard start [--dev]`: runs the dashboard (building the web UI first when it is stale). */
import { parseArgs } from 'node:util';
import { startDashboard } from '../main';
import { onShutdown } from './shutdown';
import { UsageError } from './usage-error';

export async function run(args: string[]): Promise<void> {
  let dev = false;
  try {
    ({ values: { dev = false } } = parseArgs({ args, options: { dev: { type: 'boolean' } }, strict: true }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const dashboard = await startDashboard({ dev });
  process.stdout.write(`Hubble Flow Dashboard: ${dashboard.url}\n`);
  onShutdown(() => dashboard.stop());
}
