/**
 * Flows as CSV for spreadsheets: one header row, one row per flow, RFC 4180 quoting and CRLF line
 * ends. Flow fields come from the network being observed (pod names, URLs, DNS queries), so any
 * cell a spreadsheet would read as a formula is neutralized with a leading apostrophe.
 */
import type { Endpoint, Flow, Layer7, Policy } from '../flow/flow';

/** Column titles, in row order. */
export const FLOWS_CSV_COLUMNS = [
  'time', 'node', 'source', 'destination', 'dst port', 'protocol', 'verdict', 'drop reason', 'l7 summary', 'policy',
] as const;

const CRLF = '\r\n';
/** First characters that make Excel, LibreOffice or Sheets evaluate a cell (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Prefixes `'` to a value a spreadsheet would treat as a formula. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field: neutralized, then quoted (with doubled quotes) when RFC 4180 requires it. */
export function csvCell(text: string): string {
  const safe = neutralizeFormula(text);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV record from plain values, with its CRLF. */
export function csvRecord(values: readonly string[]): string {
  return values.map(csvCell).join(',') + CRLF;
}

/** The header record. */
export function flowsCsvHeader(): string {
  return csvRecord(FLOWS_CSV_COLUMNS);
}

/** `namespace/pod` for a pod, otherwise the IP address. */
function endpointLabel(endpoint: Endpoint | undefined, ip: string | undefined): string {
  if (endpoint?.pod_name) return endpoint.namespace ? `${endpoint.namespace}/${endpoint.pod_name}` : endpoint.pod_name;
  return ip ?? '';
}

function destinationPort(flow: Flow): string {
  const l4 = flow.l4;
  const port = (l4?.TCP ?? l4?.UDP ?? l4?.SCTP)?.destination_port;
  return port === undefined ? '' : String(port);
}

function protocol(flow: Flow): string {
  return flow.l4 ? (Object.keys(flow.l4)[0] ?? '') : '';
}

function dropReason(flow: Flow): string {
  if (flow.drop_reason_desc !== undefined) return String(flow.drop_reason_desc);
  return flow.drop_reason ? String(flow.drop_reason) : '';
}

const DNS_RCODES: Record<number, string> = {
  1: 'Format Error', 2: 'Server Failure', 3: 'Non-Existent Domain', 4: 'Not Implemented', 5: 'Refused',
};

function latencyMs(l7: Layer7): number {
  return Math.round(Number(l7.latency_ns ?? 0) / 1e6);
}

/** The L7 part of a flow the way Hubble summarizes it (`HTTP/1.1 GET http://…`, `DNS Query …`); empty without L7. */
export function l7Summary(l7: Layer7 | undefined): string {
  if (!l7) return '';
  const response = l7.type === 'RESPONSE';
  if (l7.http) {
    const { protocol: proto = 'HTTP', method = '', url = '', code = 0 } = l7.http;
    return response ? `${proto} ${code} ${latencyMs(l7)}ms (${method} ${url})` : `${proto} ${method} ${url}`;
  }
  if (l7.dns) {
    const { query = '', qtypes = [], ips = [], rcode = 0, ttl = 0 } = l7.dns;
    const question = `${query} ${qtypes.join(',')}`.trim();
    if (!response) return `DNS Query ${question}`;
    const answer = rcode ? `RCode: ${DNS_RCODES[rcode] ?? rcode}` : `"${ips.join(',')}"`;
    return `DNS Answer ${answer} TTL: ${ttl} (Query ${question})`;
  }
  if (l7.kafka) {
    const { api_key: apiKey = '', correlation_id: id = 0, topic = '', error_code: errorCode = 0 } = l7.kafka;
    const base = `Kafka ${response ? 'response' : 'request'} ${apiKey} correlation id ${id} topic '${topic}'`;
    return response ? `${base} return code ${errorCode}` : base;
  }
  return String(l7.type ?? '');
}

function policyNames(kind: string, list: Policy[] | undefined): string[] {
  return (list ?? []).map((p) => `${kind}: ${p.namespace ? `${p.namespace}/` : ''}${p.name ?? ''}`);
}

/** Which policies allowed or denied the flow, e.g. `ingress denied by: data/redis-ingress`. */
export function policySummary(flow: Flow): string {
  return [
    ...policyNames('ingress denied by', flow.ingress_denied_by),
    ...policyNames('egress denied by', flow.egress_denied_by),
    ...policyNames('ingress allowed by', flow.ingress_allowed_by),
    ...policyNames('egress allowed by', flow.egress_allowed_by),
  ].join('; ');
}

/** The CSV record of one flow, with its CRLF; `nodeName` is the response's when the flow lacks one. */
export function flowToCsvRecord(flow: Flow, nodeName?: string): string {
  return csvRecord([
    flow.time ?? '',
    flow.node_name ?? nodeName ?? '',
    endpointLabel(flow.source, flow.IP?.source),
    endpointLabel(flow.destination, flow.IP?.destination),
    destinationPort(flow),
    protocol(flow),
    flow.verdict === undefined ? '' : String(flow.verdict),
    dropReason(flow),
    l7Summary(flow.l7),
    policySummary(flow),
  ]);
}
