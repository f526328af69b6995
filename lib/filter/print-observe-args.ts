/**
 * ObserveRequest → `hubble observe` flags: the canonical command line for a request, such that
 * parsing it gives the same request back (`parseObserveArgs(printObserveArgs(r))` deep-equals `r`
 * for every `r` that `parseObserveArgs` returned). Filters are printed as plain flags where flags
 * reproduce them exactly (`--namespace`, `--pod`, `--verdict`, ...); whatever flags cannot express
 * goes out as `--allowlist` / `--denylist` FlowFilter JSON.
 */
import type { FlowFilter } from './flow-filter';
import type { ObserveRequest } from './observe-args';
import { orderedFilter } from './observe-raw-filters';
import { filterFlags } from './print-observe-filter';

const json = (f: FlowFilter) => JSON.stringify(orderedFilter(f));

/** The flags (argv form, without `hubble observe`) that ask for `req`. */
export function printObserveArgs(req: ObserveRequest): string[] {
  const out: string[] = [];
  const allow = filterFlags(req.filters.whitelist);
  for (const occurrence of allow.flags) out.push(...occurrence);
  for (const f of allow.rest) out.push('--allowlist', json(f));
  const deny = filterFlags(req.filters.blacklist);
  for (const occurrence of deny.flags) out.push('--not', ...occurrence);
  for (const f of deny.rest) out.push('--denylist', json(f));
  if (req.since !== undefined && req.since !== '') out.push('--since', req.since);
  if (req.until !== undefined && req.until !== '') out.push('--until', req.until);
  if (req.first !== undefined && req.first > 0) out.push('--first', String(req.first));
  if (req.last !== undefined && req.last > 0) out.push('--last', String(req.last));
  if (req.all) out.push('--all');
  if (req.follow) out.push('--follow');
  return out;
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument for a POSIX shell (single quotes unless it is plainly safe). */
export function shellQuote(arg: string): string {
  if (SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The whole command, ready to paste into a shell: `hubble observe --namespace kube-system ...`. */
export function formatObserveCommand(req: ObserveRequest): string {
  return ['hubble', 'observe', ...printObserveArgs(req).map(shellQuote)].join(' ');
}
