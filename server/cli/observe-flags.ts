/**
 * Separates the flags `observe` handles itself (input and output) from the filter flags that go to
 * lib/filter's parser, accepting `--flag value` and `--flag=value` like the CLI.
 */
import { UsageError } from './usage-error';

export interface OutputFlags {
  inputFile?: string;
  output: string;
  printNodeName: boolean;
  ipTranslation: boolean;
  timeFormat: string;
  debug: boolean;
  filterArgs: string[];
}

const WITH_VALUE = new Set(['--input-file', '-o', '--output', '--time-format', '--color']);
const BOOLEAN = new Set(['--print-node-name', '--ip-translation', '--numeric', '--debug']);

function boolValue(flag: string, value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new UsageError(`invalid argument "${value}" for "${flag}" flag: expected true or false`);
}

export function splitOutputFlags(args: readonly string[]): OutputFlags {
  const out: OutputFlags = { output: 'compact', printNodeName: false, ipTranslation: true, timeFormat: 'StampMilli', debug: false, filterArgs: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (WITH_VALUE.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`flag needs an argument: ${name}`);
      if (name === '--input-file') out.inputFile = value;
      else if (name === '-o' || name === '--output') out.output = value;
      else if (name === '--time-format') out.timeFormat = value;
      // --color: this printer never colours, whatever is asked.
    } else if (BOOLEAN.has(name)) {
      const value = boolValue(name, inline);
      if (name === '--print-node-name') out.printNodeName = value;
      else if (name === '--ip-translation') out.ipTranslation = value;
      else if (name === '--numeric') out.ipTranslation = !value;
      else out.debug = value;
    } else {
      out.filterArgs.push(arg);
    }
  }
  return out;
}
