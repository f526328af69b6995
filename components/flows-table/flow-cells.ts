import type { Flow, FlowsResponse, Policy } from '../../lib/flow/flow';
import { Verdict } from '../../lib/flow/enums';
import { dropReasonExplanation, dropReasonText } from '../../lib/flow/drop-reasons';
import { enumText, flowPorts, flowTypeText, hostNames, summaryText, timestampText } from '../../lib/printer/flow-fields';
import { flowRowKey } from './flow-rows';

/** One table row's text, computed with the hubble printer's own field functions. */
export interface FlowCells {
  /** flowRowKey: the uuid when the flow has one. */
  key: string;
  time: string;
  isoTime: string;
  source: string;
  destination: string;
  /** The sides' cluster names ('' when the flow names none), for the cells' tooltips. */
  sourceCluster: string;
  destinationCluster: string;
  portProtocol: string;
  l7: string;
  /** The flow's verdict field, which `--verdict` filters on (the CLI prints DENIED for policy verdicts). */
  verdict: string;
  /** `hubble observe`'s TYPE column: trace point, drop text, policy-verdict:... */
  type: string;
  dropReason: string;
  dropReasonHelp: string;
  policy: string;
  node: string;
}

function protocolText(flow: Flow): string {
  const l4 = flow.l4;
  if (!l4) return '';
  const [, dstPort] = flowPorts(flow);
  if (l4.TCP) return `${dstPort}/TCP`;
  if (l4.UDP) return `${dstPort}/UDP`;
  if (l4.SCTP) return `${dstPort}/SCTP`;
  const icmp = l4.ICMPv4 ? ['ICMPv4', l4.ICMPv4] as const : l4.ICMPv6 ? ['ICMPv6', l4.ICMPv6] as const : undefined;
  if (icmp) return `${icmp[0]} type ${icmp[1].type ?? 0} code ${icmp[1].code ?? 0}`;
  return l4.VRRP ? 'VRRP' : l4.IGMP ? 'IGMP' : '';
}

function policyNames(label: string, policies: Policy[] | undefined): string[] {
  return (policies ?? []).map((p) => `${label} ${p.namespace ? `${p.namespace}/` : ''}${p.name ?? '?'}`);
}

function policyText(flow: Flow): string {
  return [
    ...policyNames('ingress denied by', flow.ingress_denied_by),
    ...policyNames('egress denied by', flow.egress_denied_by),
    ...policyNames('ingress allowed by', flow.ingress_allowed_by),
    ...policyNames('egress allowed by', flow.egress_allowed_by),
  ].join('; ');
}

/** The cells of a flow; undefined for node-status and lost-events responses, which have none. */
export function flowCells(response: FlowsResponse, timeZone: string): FlowCells | undefined {
  const flow = response.flow;
  if (!flow) return undefined;
  const [source, destination] = hostNames(flow);
  const verdict = enumText(Verdict, flow.verdict);
  const dropped = verdict === 'DROPPED';
  const reason = flow.drop_reason_desc ?? flow.drop_reason;
  return {
    key: flowRowKey(response),
    time: timestampText(flow.time, { timeZone }),
    isoTime: flow.time ?? '',
    source,
    destination,
    sourceCluster: flow.source?.cluster_name ?? '',
    destinationCluster: flow.destination?.cluster_name ?? '',
    portProtocol: protocolText(flow),
    l7: flow.l7 ? `${flowTypeText(flow)} ${summaryText(flow)}`.trim() : '',
    verdict,
    type: flowTypeText(flow),
    dropReason: dropped ? dropReasonText(reason) : '',
    dropReasonHelp: dropped ? dropReasonExplanation(reason) : '',
    policy: policyText(flow),
    node: flow.node_name ?? '',
  };
}
