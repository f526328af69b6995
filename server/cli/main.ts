/**
 * `hubble-dashboard <command>`: dispatches to one module per command. Errors a user can fix are
 * printed as one line and exit 2; nothing prints a stack trace for a wrong flag.
 */
import { UsageError } from './usage-error';
import { ConfigError, loadConfig } from '../config';
import { setLogLevel } from '../log/logger';

const USAGE = `usage: hubble-dashboard <command> [flags]

commands:
  start [--dev]                 run the dashboard (demo cluster when HUBBLE_RELAY_ADDR is unset)
  demo --listen HOST:PORT       run the simulated cluster as a standalone Hubble Relay
       [--seed N] [--rate FLOWS_PER_S] [--replay FILE [--speed X]]
  import FILE|-                 load \`hubble observe -o jsonpb\` lines into the database (dedupes)
  export --since T [--until T] [-o jsonpb|csv] [--output FILE]   stored flows, oldest first (T: RFC 3339 or 2h)
  observe --input-file FILE|- [hubble observe filter flags] [-o compact|dict|json|jsonpb|table]
                                hubble observe --input-file, same selection, order and output
`;

const commands: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  start: () => import('./start-command'),
  demo: () => import('./demo-command'),
  import: () => import('./import-command'),
  export: () => import('./export-command'),
  observe: () => import('./observe-command'),
};

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  setLogLevel(loadConfig().logLevel);
  const load = commands[name];
  if (!load) throw new UsageError(`unknown command "${name}"\n\n${USAGE}`);
  await (await load()).run(args);
}

// A reader that stops early (`| head`) closes the pipe: that is the end of the output, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof ConfigError) {
    process.stderr.write(`hubble-dashboard: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`hubble-dashboard: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
