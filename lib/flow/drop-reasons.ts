/**
 * Cilium's drop reasons: the `flow.DropReason` enum, the short text the hubble CLI prints for a
 * drop, and a plain-words explanation for whoever is on call.
 *
 * Facts come from Cilium v1.17.0 as vendored by the hubble CLI v1.17.0 (`api/v1/flow/flow.proto`,
 * `pkg/monitor/api/drop.go`), plus DROP_PUNT_PROXY (205) from later releases. Enum names are
 * frozen on the wire even where Cilium later reused a number for something else (136, 161): the
 * name stays, the printed text and the explanation follow what the code means today.
 */
import { enumTable } from './enums';

export const DropReason = enumTable({
  DROP_REASON_UNKNOWN: 0, INVALID_SOURCE_MAC: 130, INVALID_DESTINATION_MAC: 131, INVALID_SOURCE_IP: 132,
  POLICY_DENIED: 133, INVALID_PACKET_DROPPED: 134, CT_TRUNCATED_OR_INVALID_HEADER: 135,
  CT_MISSING_TCP_ACK_FLAG: 136, CT_UNKNOWN_L4_PROTOCOL: 137, CT_CANNOT_CREATE_ENTRY_FROM_PACKET: 138,
  UNSUPPORTED_L3_PROTOCOL: 139, MISSED_TAIL_CALL: 140, ERROR_WRITING_TO_PACKET: 141, UNKNOWN_L4_PROTOCOL: 142,
  UNKNOWN_ICMPV4_CODE: 143, UNKNOWN_ICMPV4_TYPE: 144, UNKNOWN_ICMPV6_CODE: 145, UNKNOWN_ICMPV6_TYPE: 146,
  ERROR_RETRIEVING_TUNNEL_KEY: 147, ERROR_RETRIEVING_TUNNEL_OPTIONS: 148, INVALID_GENEVE_OPTION: 149,
  UNKNOWN_L3_TARGET_ADDRESS: 150, STALE_OR_UNROUTABLE_IP: 151, NO_MATCHING_LOCAL_CONTAINER_FOUND: 152,
  ERROR_WHILE_CORRECTING_L3_CHECKSUM: 153, ERROR_WHILE_CORRECTING_L4_CHECKSUM: 154, CT_MAP_INSERTION_FAILED: 155,
  INVALID_IPV6_EXTENSION_HEADER: 156, IP_FRAGMENTATION_NOT_SUPPORTED: 157, SERVICE_BACKEND_NOT_FOUND: 158,
  NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT: 160, FAILED_TO_INSERT_INTO_PROXYMAP: 161,
  REACHED_EDT_RATE_LIMITING_DROP_HORIZON: 162, UNKNOWN_CONNECTION_TRACKING_STATE: 163,
  LOCAL_HOST_IS_UNREACHABLE: 164, NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION: 165,
  UNSUPPORTED_L2_PROTOCOL: 166, NO_MAPPING_FOR_NAT_MASQUERADE: 167, UNSUPPORTED_PROTOCOL_FOR_NAT_MASQUERADE: 168,
  FIB_LOOKUP_FAILED: 169, ENCAPSULATION_TRAFFIC_IS_PROHIBITED: 170, INVALID_IDENTITY: 171, UNKNOWN_SENDER: 172,
  NAT_NOT_NEEDED: 173, IS_A_CLUSTERIP: 174, FIRST_LOGICAL_DATAGRAM_FRAGMENT_NOT_FOUND: 175,
  FORBIDDEN_ICMPV6_MESSAGE: 176, DENIED_BY_LB_SRC_RANGE_CHECK: 177, SOCKET_LOOKUP_FAILED: 178,
  SOCKET_ASSIGN_FAILED: 179, PROXY_REDIRECTION_NOT_SUPPORTED_FOR_PROTOCOL: 180, POLICY_DENY: 181,
  VLAN_FILTERED: 182, INVALID_VNI: 183, INVALID_TC_BUFFER: 184, NO_SID: 185, MISSING_SRV6_STATE: 186,
  NAT46: 187, NAT64: 188, AUTH_REQUIRED: 189, CT_NO_MAP_FOUND: 190, SNAT_NO_MAP_FOUND: 191,
  INVALID_CLUSTER_ID: 192, UNSUPPORTED_PROTOCOL_FOR_DSR_ENCAP: 193, NO_EGRESS_GATEWAY: 194,
  UNENCRYPTED_TRAFFIC: 195, TTL_EXCEEDED: 196, NO_NODE_ID: 197, DROP_RATE_LIMITED: 198, IGMP_HANDLED: 199,
  IGMP_SUBSCRIBED: 200, MULTICAST_HANDLED: 201, DROP_HOST_NOT_READY: 202, DROP_EP_NOT_READY: 203,
  DROP_NO_EGRESS_IP: 204, DROP_PUNT_PROXY: 205,
});
export type DropReasonName = (typeof DropReason.names)[number];

/** A drop reason as it may reach us: enum name, wire number, numeric string, or absent (= 0). */
export type DropReasonInput = DropReasonName | number | string | undefined;

/**
 * Cilium's `errors` map in pkg/monitor/api/drop.go, which `api.DropReason` reads and the hubble
 * printer shows in its TYPE column. Codes below 130 are not drops but share the map.
 */
const CLI_TEXT: ReadonlyMap<number, string> = new Map([
  [0, 'Success'], [2, 'Invalid packet'], [3, 'Interface'], [4, 'Interface Decrypted'],
  [5, 'LB, sock cgroup: No backend slot entry found'], [6, 'LB, sock cgroup: No backend entry found'],
  [7, 'LB, sock cgroup: Reverse entry update failed'], [8, 'LB, sock cgroup: Reverse entry stale'],
  [9, 'Fragmented packet'], [10, 'Fragmented packet entry update failed'], [11, 'Missed tail call to custom program'],
  [130, 'Invalid source mac'], [131, 'Invalid destination mac'], [132, 'Invalid source ip'], [133, 'Policy denied'],
  [134, 'Invalid packet'], [135, 'CT: Truncated or invalid header'], [136, 'Fragmentation needed'],
  [137, 'CT: Unknown L4 protocol'], [138, "CT: Can't create entry from packet"], [139, 'Unsupported L3 protocol'],
  [140, 'Missed tail call'], [141, 'Error writing to packet'], [142, 'Unknown L4 protocol'],
  [143, 'Unknown ICMPv4 code'], [144, 'Unknown ICMPv4 type'], [145, 'Unknown ICMPv6 code'],
  [146, 'Unknown ICMPv6 type'], [147, 'Error retrieving tunnel key'], [148, 'Error retrieving tunnel options'],
  [149, 'Invalid Geneve option'], [150, 'Unknown L3 target address'], [151, 'Stale or unroutable IP'],
  [152, 'No matching local container found'], [153, 'Error while correcting L3 checksum'],
  [154, 'Error while correcting L4 checksum'], [155, 'CT: Map insertion failed'],
  [156, 'Invalid IPv6 extension header'], [157, 'IP fragmentation not supported'], [158, 'Service backend not found'],
  [160, 'No tunnel/encapsulation endpoint (datapath BUG!)'], [161, 'NAT 46/64 not enabled'],
  [162, 'Reached EDT rate-limiting drop horizon'], [163, 'Unknown connection tracking state'],
  [164, 'Local host is unreachable'], [165, 'No configuration available to perform policy decision'],
  [166, 'Unsupported L2 protocol'], [167, 'No mapping for NAT masquerade'],
  [168, 'Unsupported protocol for NAT masquerade'], [169, 'FIB lookup failed'],
  [170, 'Encapsulation traffic is prohibited'], [171, 'Invalid identity'], [172, 'Unknown sender'],
  [173, 'NAT not needed'], [174, 'Is a ClusterIP'], [175, 'First logical datagram fragment not found'],
  [176, 'Forbidden ICMPv6 message'], [177, 'Denied by LB src range check'], [178, 'Socket lookup failed'],
  [179, 'Socket assign failed'], [180, 'Proxy redirection not supported for protocol'],
  [181, 'Policy denied by denylist'], [182, 'VLAN traffic disallowed by VLAN filter'],
  [183, 'Incorrect VNI from VTEP'], [184, 'Failed to update or lookup TC buffer'],
  [185, 'No SID was found for the IP address'], [186, 'SRv6 state was removed during tail call'],
  [187, 'L3 translation from IPv4 to IPv6 failed (NAT46)'], [188, 'L3 translation from IPv6 to IPv4 failed (NAT64)'],
  [189, 'Authentication required'], [190, 'No conntrack map found'], [191, 'No nat map found'],
  [192, 'Invalid ClusterID'], [193, 'Unsupported packet protocol for DSR encapsulation'],
  [194, 'No egress gateway found'], [195, 'Traffic is unencrypted'], [196, 'TTL exceeded'],
  [197, 'No node ID found'], [198, 'Rate limited'], [199, 'IGMP handled'], [200, 'IGMP subscribed'],
  [201, 'Multicast handled'], [202, 'Host datapath not ready'], [203, 'Endpoint policy program not available'],
  [204, 'No Egress IP configured'], [205, 'Punt to proxy'],
]);

const RETIRED = 'Cilium still defines this code but its datapath no longer emits it.'
  + ' Seeing it means the reporting node runs an old Cilium version; upgrade that node.';
const INTERNAL = ' This is an internal datapath error: check the cilium agent logs and the kernel version on'
  + ' that node, and report it to Cilium if it persists.';
const NOT_A_FAILURE = 'Usually not a real failure: ';
const CHECK_SENDER = ' Usually harmless; if the volume is high, check which workload sends it.';

const EXPLANATIONS: Record<DropReasonName, string> = {
  DROP_REASON_UNKNOWN: 'No drop reason was recorded, either because the flow is not a drop or because the reporting'
    + ' agent did not fill it in (the CLI prints Cilium\'s text for code 0, "Success"). Look at the event type and'
    + ' sub-type of the raw flow and at the Cilium version on that node.',
  INVALID_SOURCE_MAC: RETIRED,
  INVALID_DESTINATION_MAC: RETIRED,
  INVALID_SOURCE_IP: 'A pod sent a packet whose source IP is not an address Cilium assigned to it, so the'
    + ' anti-spoofing check dropped it. Check for workloads that use extra or hand-configured addresses (VPN'
    + ' software, nested VMs, secondary IPs) or a pod whose IP changed without its endpoint being updated.',
  POLICY_DENIED: 'Network policy dropped the packet: policy enforcement applies to this endpoint and no rule'
    + ' allows this traffic (default deny). Check the policies that select the destination (ingress) or the source'
    + ' (egress) for a rule covering this peer and port.',
  INVALID_PACKET_DROPPED: 'Cilium could not handle the packet because it was malformed, truncated, or arrived'
    + ' on a path that cannot process it. A few are harmless; a steady stream points at a misbehaving sender or an'
    + ' MTU or offload problem on the path.',
  CT_TRUNCATED_OR_INVALID_HEADER: 'Connection tracking could not read the transport (L4) header because the'
    + ' packet was truncated or malformed.' + CHECK_SENDER,
  CT_MISSING_TCP_ACK_FLAG: 'Despite its old enum name, Cilium now uses this code for "Fragmentation needed":'
    + ' the packet is too big for the path once Cilium adds its own encapsulation (for example for DSR load'
    + ' balancing) and it may not be fragmented. Check the MTU settings of nodes and tunnels, and that ICMP'
    + ' "fragmentation needed" messages reach the client.',
  CT_UNKNOWN_L4_PROTOCOL: 'Connection tracking does not support the transport protocol of this packet. Check'
    + ' which protocol the source sends (anything other than TCP, UDP, ICMP or SCTP) and whether it is expected.',
  CT_CANNOT_CREATE_ENTRY_FROM_PACKET: RETIRED,
  UNSUPPORTED_L3_PROTOCOL: 'The packet\'s network protocol is not one Cilium handles here, most often IPv6'
    + ' traffic reaching a node where Cilium runs with IPv6 disabled (or IPv4 with IPv4 disabled). Check the'
    + ' sender and the cluster\'s IPv4/IPv6 settings.',
  MISSED_TAIL_CALL: 'A BPF program tried to jump to another datapath program that was not loaded. A few drops'
    + ' while the agent restarts or an endpoint regenerates are expected; a steady stream means the datapath is'
    + ' inconsistent, so check the agent logs and `cilium-dbg endpoint list` on that node.',
  ERROR_WRITING_TO_PACKET: 'Cilium failed to rewrite the packet, for example while applying NAT or service'
    + ' translation.' + INTERNAL,
  UNKNOWN_L4_PROTOCOL: 'The packet uses a transport protocol the datapath cannot handle at this point (for'
    + ' policy or load balancing). Check which protocol the source sends; SCTP needs SCTP support enabled in Cilium.',
  UNKNOWN_ICMPV4_CODE: 'Cilium dropped an ICMPv4 message whose code it cannot handle on this path, for example'
    + ' an ICMP error for a NATed or load-balanced connection.' + CHECK_SENDER,
  UNKNOWN_ICMPV4_TYPE: 'Cilium dropped an ICMPv4 message whose type it cannot handle on this path, for example'
    + ' through NAT or a service.' + CHECK_SENDER,
  UNKNOWN_ICMPV6_CODE: 'Cilium dropped an ICMPv6 message whose code it cannot handle on this path.' + CHECK_SENDER,
  UNKNOWN_ICMPV6_TYPE: 'Cilium dropped an ICMPv6 message whose type it cannot handle on this path.' + CHECK_SENDER,
  ERROR_RETRIEVING_TUNNEL_KEY: 'Cilium could not read the tunnel metadata of a packet that arrived over the'
    + ' overlay (VXLAN or Geneve). Check that all nodes use the same tunnel protocol and port, and that nothing'
    + ' else sends traffic to that port.',
  ERROR_RETRIEVING_TUNNEL_OPTIONS: RETIRED,
  INVALID_GENEVE_OPTION: RETIRED,
  UNKNOWN_L3_TARGET_ADDRESS: 'The packet asked for an address Cilium does not answer for on this interface,'
    + ' typically an IPv6 neighbour solicitation from a pod for something other than its gateway. Usually'
    + ' harmless; check the pod\'s IPv6 routes if its connectivity is affected.',
  STALE_OR_UNROUTABLE_IP: 'Cilium found no endpoint or route for the destination IP, usually a pod address'
    + ' that no longer exists because the pod was deleted or restarted with a new IP. Check whether the'
    + ' destination pod still exists and whether clients hold a stale address (DNS caches, long-lived connections).',
  NO_MATCHING_LOCAL_CONTAINER_FOUND: RETIRED,
  ERROR_WHILE_CORRECTING_L3_CHECKSUM: 'Cilium failed to update the IP checksum after rewriting the packet.'
    + INTERNAL,
  ERROR_WHILE_CORRECTING_L4_CHECKSUM: 'Cilium failed to update the TCP/UDP checksum after rewriting the packet.'
    + INTERNAL,
  CT_MAP_INSERTION_FAILED: 'Cilium could not add a connection-tracking entry, usually because the conntrack'
    + ' table is full. Check the map pressure metric (cilium_bpf_map_pressure) and raise the table size'
    + ' (bpf-ct-global-tcp-max / bpf-ct-global-any-max or bpf-map-dynamic-size-ratio), or find what opens so'
    + ' many connections.',
  INVALID_IPV6_EXTENSION_HEADER: 'The IPv6 packet carries extension headers Cilium could not parse (malformed'
    + ' or too many).' + CHECK_SENDER,
  IP_FRAGMENTATION_NOT_SUPPORTED: 'An IP fragment arrived on a path where Cilium cannot handle fragments (for'
    + ' example with fragment tracking disabled). Avoid fragmentation by fixing MTUs, or enable fragment'
    + ' tracking (enable-ipv4-fragment-tracking).',
  SERVICE_BACKEND_NOT_FOUND: 'Traffic was sent to a service that has no ready endpoints behind it. Check the'
    + ' service\'s EndpointSlices, the readiness of its pods, and that the service selector matches them.',
  NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT: 'In tunnel mode Cilium found no remote node (tunnel endpoint) for the'
    + ' destination address. Check that the destination\'s node is known to this one (`cilium-dbg node list`,'
    + ' CiliumNode objects) and that node and IP discovery work.',
  FAILED_TO_INSERT_INTO_PROXYMAP: 'Despite its old enum name, Cilium now uses this code for "NAT 46/64 not'
    + ' enabled": the packet needs IPv4/IPv6 translation but the NAT46/64 feature is off on this node. Check why'
    + ' IPv4-mapped IPv6 traffic reaches the node, or enable NAT46/64.',
  REACHED_EDT_RATE_LIMITING_DROP_HORIZON: 'The pod exceeded its egress bandwidth limit'
    + ' (kubernetes.io/egress-bandwidth, enforced by Cilium\'s Bandwidth Manager) and the packet would have'
    + ' waited too long, so it was dropped. Raise the pod\'s limit or reduce its traffic.',
  UNKNOWN_CONNECTION_TRACKING_STATE: 'Connection tracking returned a state the datapath did not expect.' + INTERNAL,
  LOCAL_HOST_IS_UNREACHABLE: 'A packet addressed to the node itself could not be handed to the host network'
    + ' stack. Check the cilium_host interface and the agent\'s health on that node.',
  NO_CONFIGURATION_AVAILABLE_TO_PERFORM_POLICY_DECISION: RETIRED,
  UNSUPPORTED_L2_PROTOCOL: 'The frame\'s link-layer protocol is not one Cilium handles on this device.'
    + CHECK_SENDER,
  NO_MAPPING_FOR_NAT_MASQUERADE: 'Cilium could not create or find a NAT (masquerading) mapping for this'
    + ' connection, usually because the NAT table is full or every source port towards one destination is in'
    + ' use. Check NAT map pressure (cilium_bpf_map_pressure), the table size (bpf-nat-global-max), and clients'
    + ' opening many connections to the same destination.',
  UNSUPPORTED_PROTOCOL_FOR_NAT_MASQUERADE: 'Cilium\'s masquerading cannot translate this packet\'s protocol.'
    + ' Check which protocol the source sends to destinations outside the cluster.',
  FIB_LOOKUP_FAILED: 'The kernel routing (FIB) lookup Cilium does to forward the packet failed: no route, or no'
    + ' neighbour (ARP/NDP) entry for the next hop. Check the node\'s routes and neighbours towards the'
    + ' destination (`ip route get`, `ip neigh`) and the devices Cilium uses.',
  ENCAPSULATION_TRAFFIC_IS_PROHIBITED: 'A pod sent UDP traffic to the overlay tunnel port (VXLAN or Geneve),'
    + ' which Cilium forbids so workloads cannot inject packets into the tunnel. Check the pod; if it runs its'
    + ' own VXLAN legitimately, move one of the two to another port.',
  INVALID_IDENTITY: 'The packet carried a security identity Cilium considers invalid, so policy could not be'
    + ' applied. Brief bursts can happen while identities propagate; if it persists, check identity allocation'
    + ' and ipcache sync between nodes (and Cluster Mesh).',
  UNKNOWN_SENDER: 'The datapath could not attribute the packet to a sender it knows, such as a known node or'
    + ' endpoint. Check that the sending node is part of the cluster and known to this node (`cilium-dbg node'
    + ' list`), and the agent logs on both nodes.',
  NAT_NOT_NEEDED: NOT_A_FAILURE + 'an internal code meaning the packet needed no NAT and was passed on to the'
    + ' kernel stack. Investigate only if the related connection actually fails.',
  IS_A_CLUSTERIP: 'Traffic arriving from outside the node was addressed to a service IP that is only reachable'
    + ' inside the cluster (a ClusterIP). External clients need a NodePort, LoadBalancer or external IP; check why'
    + ' outside traffic targets the ClusterIP.',
  FIRST_LOGICAL_DATAGRAM_FRAGMENT_NOT_FOUND: 'A later IP fragment arrived before or without the first fragment of'
    + ' its datagram, so Cilium did not know its ports for policy and load balancing. Check for MTU mismatches'
    + ' that cause fragmentation, and for fragments lost or reordered on the way.',
  FORBIDDEN_ICMPV6_MESSAGE: 'Cilium dropped an ICMPv6 message of a type it does not allow on this path.'
    + CHECK_SENDER,
  DENIED_BY_LB_SRC_RANGE_CHECK: 'The client\'s IP is not in the LoadBalancer service\'s allowed source ranges'
    + ' (spec.loadBalancerSourceRanges). Check that list on the service if this client should be allowed.',
  SOCKET_LOOKUP_FAILED: 'Cilium tried to hand the packet to its local L7 proxy (Envoy or the DNS proxy) but found'
    + ' no proxy socket listening. Check that the proxy is running on that node (cilium-envoy, agent logs).',
  SOCKET_ASSIGN_FAILED: 'Cilium found the local L7 proxy\'s socket but could not hand the packet to it. Check'
    + ' the proxy (cilium-envoy or the DNS proxy) and the agent logs on that node.',
  PROXY_REDIRECTION_NOT_SUPPORTED_FOR_PROTOCOL: 'A policy asks to send this traffic through the L7 proxy, but the'
    + ' proxy cannot take this protocol (only TCP and UDP can be redirected). Check L7 rules that may select'
    + ' other protocols.',
  POLICY_DENY: 'An explicit deny rule (ingressDeny or egressDeny in a Cilium network policy) matched this'
    + ' traffic; deny rules win over allow rules. Check the deny rules of policies selecting the destination'
    + ' (ingress) or the source (egress).',
  VLAN_FILTERED: 'The packet carried a VLAN tag that Cilium does not let through on this device. If that VLAN'
    + ' should pass, add its ID to the agent\'s VLAN allowlist (vlan-bpf-bypass).',
  INVALID_VNI: 'Traffic from an external VXLAN tunnel endpoint (VTEP integration) carried an unexpected VNI.'
    + ' Check the VTEP settings on the Cilium side and on the external device.',
  INVALID_TC_BUFFER: 'Cilium failed to read or update the per-packet metadata it keeps in the kernel.' + INTERNAL,
  NO_SID: 'SRv6: no segment ID was found for the destination IP, so the packet could not be encapsulated.'
    + ' Check the SRv6 policies and SID allocations for this destination.',
  MISSING_SRV6_STATE: RETIRED,
  NAT46: 'Translating the packet from IPv4 to IPv6 (NAT46) failed. Check the NAT46/64 configuration and the'
    + ' addresses involved.',
  NAT64: 'Translating the packet from IPv6 to IPv4 (NAT64) failed. Check the NAT46/64 configuration and the'
    + ' addresses involved.',
  AUTH_REQUIRED: 'A policy requires mutual authentication for this traffic and the two identities have not'
    + ' authenticated yet. A few drops when a connection starts are expected; if they persist, check the mutual'
    + ' authentication setup (SPIRE server and agents, agent auth logs).',
  CT_NO_MAP_FOUND: 'Cilium could not find the per-cluster connection-tracking table it needed (Cluster Mesh).'
    + INTERNAL,
  SNAT_NO_MAP_FOUND: 'Cilium could not find the per-cluster NAT table it needed (Cluster Mesh).' + INTERNAL,
  INVALID_CLUSTER_ID: 'The packet carried a cluster ID that is invalid for this node\'s Cluster Mesh'
    + ' configuration. Check that every cluster in the mesh has a unique cluster ID within the configured maximum.',
  UNSUPPORTED_PROTOCOL_FOR_DSR_ENCAP: 'A load-balanced packet could not be forwarded in DSR mode with'
    + ' encapsulation because its protocol is not supported there. Check the service\'s protocol and the'
    + ' load-balancer mode and DSR dispatch settings.',
  NO_EGRESS_GATEWAY: 'The traffic matched an egress gateway policy, but no gateway node was available for it.'
    + ' Check the policy\'s gateway node selector and that the selected node exists and is healthy.',
  UNENCRYPTED_TRAFFIC: 'Transparent encryption in strict mode dropped a packet that would have left the node'
    + ' unencrypted. Check that the peer node has encryption set up (`cilium-dbg encrypt status`) and the'
    + ' strict-mode CIDR.',
  TTL_EXCEEDED: 'The packet\'s TTL (IPv4) or hop limit (IPv6) ran out while Cilium forwarded it, usually a'
    + ' routing loop. Check the routes between nodes and any gateway or load balancer that sends traffic back.',
  NO_NODE_ID: 'Cilium needed an ID for the destination node (used by IPsec encryption) but had none, usually'
    + ' because the node is new or not yet known here. If it persists, check that the node appears in'
    + ' `cilium-dbg node list` and the agent logs.',
  DROP_RATE_LIMITED: 'A rate limit in Cilium\'s datapath dropped the packet, for example on ICMPv6 replies that'
    + ' Cilium generates itself. Usually harmless; if it persists, check what triggers so many of them.',
  IGMP_HANDLED: NOT_A_FAILURE + 'Cilium\'s multicast support consumed this IGMP message itself instead of'
    + ' forwarding it. Investigate only if multicast group membership is wrong.',
  IGMP_SUBSCRIBED: NOT_A_FAILURE + 'Cilium\'s multicast support recorded this IGMP join and consumed the'
    + ' message. Investigate only if multicast group membership is wrong.',
  MULTICAST_HANDLED: NOT_A_FAILURE + 'Cilium\'s multicast datapath delivered copies of this packet to the'
    + ' group\'s subscribers, and the original ends here. Investigate only if subscribers miss traffic.',
  DROP_HOST_NOT_READY: 'A BPF program wanted to pass the packet to the host datapath before it was loaded,'
    + ' typically while the Cilium agent starts. Brief bursts are expected; if it persists, check the agent on'
    + ' that node.',
  DROP_EP_NOT_READY: 'The endpoint\'s policy program was not loaded yet, typically just after a pod starts or'
    + ' while its endpoint regenerates. Brief bursts are expected; if it persists, check `cilium-dbg endpoint'
    + ' list` and the agent logs.',
  DROP_NO_EGRESS_IP: 'An egress gateway node matched the packet against an egress gateway policy that did not'
    + ' yield a usable egress IP. Check the policy\'s egress IP or interface and that the IP exists on the'
    + ' gateway node.',
  DROP_PUNT_PROXY: NOT_A_FAILURE + 'Cilium\'s load balancer handed the packet to the kernel stack for a'
    + ' user-space proxy instead of forwarding it itself. Investigate only if the proxied connection fails;'
    + ' then check the proxy on that node.',
};

/** Wire number for any input form; undefined only for a name this build does not know. */
function dropCode(reason: DropReasonInput): number | undefined {
  if (reason === undefined) return 0;
  if (typeof reason === 'number') return reason;
  const known = DropReason.byName.get(reason);
  if (known !== undefined) return known;
  return /^\d+$/.test(reason) ? Number(reason) : undefined;
}

/**
 * The text `hubble observe` prints for a drop (Cilium's `api.DropReason`), e.g. 133 → "Policy
 * denied". An unknown code prints as Cilium prints it, `"<code>, 0"` (code, extended error); an
 * unknown name (from a newer relay) is returned as is; absent means 0, which Cilium calls "Success".
 */
export function dropReasonText(reason: DropReasonInput): string {
  const code = dropCode(reason);
  if (code === undefined) return String(reason);
  return CLI_TEXT.get(code) ?? `${code}, 0`;
}

/** One to three plain sentences for an on-call engineer: what the drop means, what to check first. */
export function dropReasonExplanation(reason: DropReasonInput): string {
  const code = dropCode(reason);
  const name = code === undefined ? undefined : DropReason.byNumber.get(code);
  if (name !== undefined) return EXPLANATIONS[name];
  const text = code === undefined ? undefined : CLI_TEXT.get(code);
  if (text !== undefined) {
    return `Cilium code ${code} ("${text}") is not a drop reason; codes below 130 describe other datapath`
      + ' events. Check the event type of the raw flow.';
  }
  const label = code === undefined ? String(reason) : `code ${code}`;
  return `Drop reason ${label} is not one this dashboard knows; it probably comes from a newer Cilium version.`
    + ' Look it up in pkg/monitor/api/drop.go of the Cilium version running on the reporting node.';
}
