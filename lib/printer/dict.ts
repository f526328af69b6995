/**
 * `hubble observe -o dict`: one key/value block per event, blocks separated by `------------`,
 * as hubble CLI v1.17.0 prints them with colours off. Keys are right-aligned to `DESTINATION`.
 */
import type { FlowsResponse } from '../flow/flow';
import { NodeState } from '../flow/enums';
import { NODE_NAMES_CUTOFF, printsNodeStatus } from './compact';
import {
  enumText, flowTypeText, goQuote, hostNames, joinWithCutOff, lostEventFields, timestampText, verdictText,
  type PrinterOptions,
} from './flow-fields';

/** The CLI's `dictSeparator`. */
export const DICT_SEPARATOR = '------------';

/** What the CLI writes for one event: node status blocks go to stderr, everything else to stdout. */
export interface DictChunk { stdout: string; stderr: string }

const line = (key: string, value: string) => `${key.padStart(11, ' ')}: ${value}\n`;

/**
 * A stateful dict printer (the CLI's `Printer` with its line counter): a separator goes before
 * every block but the first. A node status event is printed only when the CLI would (see
 * `printsNodeStatus`); its separator goes to stdout and its block to stderr, as in v1.17.0, and
 * the first event being a node status still counts as "a line was printed".
 */
export class DictWriter {
  private lines = 0;

  constructor(private readonly opts: PrinterOptions) {}

  /** The text the CLI writes for one response. */
  write(response: FlowsResponse): DictChunk {
    const o = this.opts;
    if (response.flow) {
      const f = response.flow;
      const [src, dst] = hostNames(f, o.ipTranslation ?? true);
      const stdout = this.separator() + line('TIMESTAMP', timestampText(f.time, o))
        + (o.printNodeName ? line('NODE', f.node_name ?? '') : '')
        + line('SOURCE', src) + line('DESTINATION', dst) + line('TYPE', flowTypeText(f))
        + line('VERDICT', verdictText(f)) + line('SUMMARY', f.Summary ?? '');
      this.lines++;
      return { stdout, stderr: '' };
    }
    if (response.node_status) {
      const s = response.node_status;
      if (!printsNodeStatus(s, o.debug)) return { stdout: '', stderr: '' };
      let stdout = '';
      if (this.lines !== 0) stdout = `${DICT_SEPARATOR}\n`;
      else this.lines++;
      const stderr = line('TIMESTAMP', timestampText(response.time, o))
        + line('STATE', enumText(NodeState, s.state_change))
        + line('NODES', joinWithCutOff(s.node_names ?? [], ', ', NODE_NAMES_CUTOFF))
        + line('MESSAGE', s.message ? goQuote(s.message) : 'N/A');
      return { stdout, stderr };
    }
    if (response.lost_events) {
      const { source, cpu, count } = lostEventFields(response.lost_events);
      const stdout = this.separator() + line('TIMESTAMP', '') + (o.printNodeName ? line('NODE', '') : '')
        + line('SOURCE', source) + line('TYPE', 'EVENTS LOST') + line('VERDICT', '')
        + line('SUMMARY', `CPU(${cpu}) - ${count}`);
      this.lines++;
      return { stdout, stderr: '' };
    }
    return { stdout: '', stderr: '' };
  }

  private separator(): string {
    return this.lines === 0 ? '' : `${DICT_SEPARATOR}\n`;
  }
}

/**
 * Responses in dict form: exactly the bytes the CLI writes to stdout, each block ending in a
 * newline. Node status blocks (stderr in the CLI) go to `opts.stderr` when given, and are
 * otherwise interleaved where a terminal would show them.
 */
export function formatDict(
  responses: Iterable<FlowsResponse>, opts: PrinterOptions & { stderr?: (text: string) => void },
): string {
  const writer = new DictWriter(opts);
  let out = '';
  for (const response of responses) {
    const { stdout, stderr } = writer.write(response);
    out += stdout;
    if (stderr === '') continue;
    if (opts.stderr) opts.stderr(stderr);
    else out += stderr;
  }
  return out;
}
