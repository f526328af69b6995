/**
 * The breakdown keys of a service-map edge, read from the columns of one rollup row: verdict names,
 * `<port>/<protocol>`, L7 summaries, drop reason names and denying policies.
 */
import { DropReason } from '../flow/drop-reasons';
import { Verdict } from '../flow/enums';

/** DNS response codes by number (RFC 1035, 2136), as `dig` names them. */
const DNS_RCODES: ReadonlyMap<number, string> = new Map([
  [0, 'NOERROR'], [1, 'FORMERR'], [2, 'SERVFAIL'], [3, 'NXDOMAIN'], [4, 'NOTIMP'], [5, 'REFUSED'], [6, 'YXDOMAIN'],
  [7, 'YXRRSET'], [8, 'NXRRSET'], [9, 'NOTAUTH'], [10, 'NOTZONE'],
]);

const DROPPED = Verdict.byName.get('DROPPED')!;

/** A verdict's name (`FORWARDED`, `DROPPED`, ...), or its number when this build does not know it. */
export function verdictKey(verdict: number): string {
  return Verdict.byNumber.get(verdict) ?? String(verdict);
}

/** Whether a rollup row's verdict is DROPPED. */
export const isDropped = (verdict: number): boolean => verdict === DROPPED;

/** `8080/TCP`; the protocol alone without a port (ICMP); undefined without an L4 protocol. */
export function portKey(port: number, protocol: string): string | undefined {
  if (protocol === '') return undefined;
  return port > 0 ? `${port}/${protocol}` : protocol;
}

/** A drop reason's name, or its number when this build does not know it. */
export function dropReasonKey(reason: number): string {
  return DropReason.byNumber.get(reason) ?? String(reason);
}

/** The denying policies of a row (`namespace/name`, comma-separated in the rollups). */
export function policyKeys(policies: string): string[] {
  return policies === '' ? [] : policies.split(',').filter((p) => p !== '');
}

const HTTP_STATUS = /^(.*?) ?([1-5]xx)$/;

/**
 * The L7 summary of a rollup row (`http GET 2xx`, `dns 3`, `kafka 7`, ...) as display keys:
 * `HTTP GET` and `HTTP 2xx` (a response counts under both its method and its status class),
 * `DNS query` for requests and `DNS <RCODE>` for responses, `Kafka` and `Kafka error <code>`.
 */
export function l7Keys(l7: string): string[] {
  if (l7 === '') return [];
  const space = l7.indexOf(' ');
  const protocol = space < 0 ? l7 : l7.slice(0, space);
  const rest = space < 0 ? '' : l7.slice(space + 1);
  switch (protocol) {
    case 'http': {
      const status = HTTP_STATUS.exec(rest);
      const method = status ? status[1] : rest;
      const keys = method ? [`HTTP ${method}`] : [];
      if (status) keys.push(`HTTP ${status[2]}`);
      return keys.length ? keys : ['HTTP'];
    }
    case 'dns': {
      if (rest === '') return ['DNS query'];
      const code = Number(rest);
      return [`DNS ${DNS_RCODES.get(code) ?? `rcode ${rest}`}`];
    }
    case 'kafka':
      return [rest === '' ? 'Kafka' : `Kafka error ${rest}`];
    default:
      return [l7];
  }
}
