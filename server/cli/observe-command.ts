/**
 * `hubble-dashboard observe --input-file FILE|- [filter flags] [-o compact|dict|json|jsonpb|table]`:
 * `hubble observe --input-file` without the CLI. Same selection (the CLI's flag parser and filter
 * semantics from lib/filter), same order (file order), same output formats (lib/printer).
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { flowsResponseFromJson } from '../../lib/flow/jsonpb';
import type { FlowsResponse } from '../../lib/flow/flow';
import { compileFilters } from '../../lib/filter/match';
import { parseObserveArgs, type ObserveRequest } from '../../lib/filter/observe-args';
import { ObserveArgsError } from '../../lib/filter/observe-args-error';
import { goTimeLayout } from '../../lib/printer/go-time';
import { resolveObserveTime } from '../../lib/time/observe-time';
import { parseTimestamp, timestampToNs } from '../../lib/time/timestamp';
import { LineTooLongError, readLines } from './line-reader';
import { OUTPUT_FORMATS, createResponseWriter, type OutputFormat } from './observe-output';
import { splitOutputFlags } from './observe-flags';
import { UsageError } from './usage-error';

/** bufio.Scanner's default limit, which `hubble observe --input-file` keeps. */
const MAX_LINE_BYTES = 64 * 1024;

interface Window { sinceNs?: bigint; untilNs?: bigint }

function timeWindow(req: ObserveRequest, nowMs: number): Window {
  const ns = (text: string | undefined) => {
    if (text === undefined) return undefined;
    return timestampToNs(parseTimestamp(resolveObserveTime(text, nowMs))!);
  };
  return { sinceNs: ns(req.since), untilNs: ns(req.until) };
}

/** The CLI compares --since/--until with the line's top-level time; a line without one is 1970. */
function inWindow(response: FlowsResponse, w: Window): boolean {
  const ts = response.time ? parseTimestamp(response.time) : undefined;
  const ns = ts ? timestampToNs(ts) : 0n;
  return (w.sinceNs === undefined || ns >= w.sinceNs) && (w.untilNs === undefined || ns <= w.untilNs);
}

export async function run(args: string[]): Promise<void> {
  const split = splitOutputFlags(args);
  if (!split.inputFile) throw new UsageError('observe reads a file: --input-file FILE (or - for standard input) is required');
  if (!(OUTPUT_FORMATS as readonly string[]).includes(split.output)) {
    throw new UsageError(`invalid output format "${split.output}": expected one of ${OUTPUT_FORMATS.join(', ')}`);
  }
  let req: ObserveRequest;
  try {
    req = parseObserveArgs(split.filterArgs);
  } catch (err) {
    if (err instanceof ObserveArgsError) throw new UsageError(err.message);
    throw err;
  }
  const window = timeWindow(req, Date.now());
  const matches = compileFilters(req.filters);
  const writer = createResponseWriter(split.output as OutputFormat, {
    timeZone: 'UTC',
    printNodeName: split.printNodeName,
    ipTranslation: split.ipTranslation,
    timeFormat: goTimeLayout(split.timeFormat),
    debug: split.debug,
  }, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });

  const input = split.inputFile === '-' ? process.stdin : createReadStream(split.inputFile);
  const last: FlowsResponse[] = [];
  let taken = 0;
  try {
    for await (const line of readLines(input, MAX_LINE_BYTES, (n) => { throw new LineTooLongError(n, MAX_LINE_BYTES); })) {
      if (line.text.trim() === '') continue;
      let response: FlowsResponse;
      try {
        response = flowsResponseFromJson(line.text).response;
      } catch (err) {
        process.stderr.write(`failed to unmarshal line ${line.number}: ${(err as Error).message}\n`);
        continue;
      }
      // Non-flow events are matched as an empty flow, as the CLI matches a nil one.
      if (!inWindow(response, window) || !matches(response.flow ?? {})) continue;
      if (req.last) {
        last.push(response);
        if (last.length > req.last) last.shift();
      } else {
        writer.write(response);
        if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
        if (req.first && ++taken >= req.first) break;
      }
    }
  } catch (err) {
    if (err instanceof LineTooLongError) {
      for (const r of last) writer.write(r);
      writer.end();
      throw new UsageError(`reading ${split.inputFile}: bufio.Scanner: token too long (line ${err.lineNumber})`);
    }
    throw err;
  }
  for (const r of last) writer.write(r);
  writer.end();
}
