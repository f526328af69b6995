/** `hubble-dashboard start [--dev]`: runs the dashboard (building the web UI first when it is stale). */
import { parseArgs } from 'node:util';
import { logger } from '../log/logger';
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
  // Crash-only: a failed collector thread stops the process (after the web server has closed and
  // what can be written is written), so that the orchestrator restarts it and it resumes.
  void dashboard.failure.then(async (err) => {
    logger('main').fatal({ err }, 'stopping: the dashboard cannot go on without its collector');
    await dashboard.stop().catch(() => undefined);
    process.exit(1);
  });
}
