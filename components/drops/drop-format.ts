/**
 * How the drop pages spell a group's parts.
 */
import type { DropGroupKey } from '../../lib/api/drop-groups';
import type { EdgeEndpoint } from '../../lib/filter/edge-filter';

/** `namespace/workload`, or the identity or address outside namespaces. */
export function endpointLabel(e: EdgeEndpoint): string {
  const name = e.namespace ? `${e.namespace}/${e.entity}` : e.entity;
  return name || '(unknown)';
}

/** The destination, with the FQDN or network behind a world identity. */
export function destinationLabel(key: DropGroupKey): string {
  const base = endpointLabel(key.destination);
  return key.destinationName ? `${base} (${key.destinationName})` : base;
}

/** `8080/TCP`, the protocol alone without a port, or an em dash without either. */
export function portLabel(key: Pick<DropGroupKey, 'port' | 'protocol'>): string {
  if (key.port && key.protocol) return `${key.port}/${key.protocol}`;
  return key.protocol || (key.port ? String(key.port) : '\u2014');
}

/** `source → destination port`, the group's name in headings and links. */
export function groupTitle(key: DropGroupKey): string {
  return `${endpointLabel(key.source)} \u2192 ${destinationLabel(key)}`;
}

/** The denying policies of a key as a list (`namespace/name`). */
export function policyList(key: Pick<DropGroupKey, 'policies'>): string[] {
  return key.policies ? key.policies.split(',') : [];
}

/** A minute-resolution time in a zone: `HH:MM` today, `MMM D, HH:MM` on other days. */
export function minuteText(rfc3339: string, timeZone: string, nowMs: number): string {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return rfc3339;
  const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
  const sameDay = day(ms) === day(nowMs);
  return new Intl.DateTimeFormat('en-GB', {
    timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
  }).format(ms);
}
