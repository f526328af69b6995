/**
 * The demo cluster's traffic: a pure, deterministic TrafficSource. Time is cut into whole seconds;
 * the flows of second k come from a PRNG seeded with hash(seed, k) and depend only on the seed, k,
 * the rate and the incident schedule, so any window can be rebuilt exactly, however it is sliced.
 *
 * Each second holds about `rateFlowsPerS` flows (±5%): conversations are generated one after the
 * other, each placed at a random start inside the second, then all flows are sorted by time and
 * stamped with an RFC 3339 nanosecond `time` and a v4-looking `uuid` derived from (seed, k, index).
 *
 * Flows are built for speed: they share immutable sub-objects (endpoints, label and workload
 * arrays, policies, IP and L4 objects of a connection), and windows inside the same second return
 * the same flow objects. Treat returned flows as read-only.
 */
import type { Flow } from '../../lib/flow/flow';
import { formatTimestamp } from '../../lib/time/timestamp';
import { ConversationRunner } from './conversation-runner';
import type { ClusterPlacement } from './mesh-spec';
import { createIncidentSchedule, type IncidentSchedule, type IncidentWindow } from './incidents';
import { SecondSink } from './observations';
import { Prng, hashNumbers, mix32, uuidFromWords } from './prng';
import { buildTopology, type Topology } from './topology';
import { TrafficMix } from './traffic-mix';
import type { DemoNode, TrafficSource } from './traffic-source';

export interface DemoTrafficOptions {
  seed: number;
  rateFlowsPerS: number;
  /** Defaults to `demo`. */
  clusterName?: string;
  /** A cluster of a mesh: its cluster ID, node IPs and pod CIDRs (server/demo/mesh-spec.ts). */
  placement?: ClusterPlacement;
  /** Extra incident windows, e.g. `[incidentWindow('policy-change', now, now + 60_000)]`. */
  incidents?: IncidentWindow[];
  /** Also run the repeating 20-minute incident timeline (server/demo/incidents.ts); default true. */
  defaultTimeline?: boolean;
}

export interface DemoTraffic extends TrafficSource {
  readonly seed: number;
  readonly rateFlowsPerS: number;
  readonly topology: Topology;
  readonly incidents: IncidentSchedule;
  /** All flows of one whole second (seconds since the epoch), sorted by time. */
  flowsOfSecond(second: number): Flow[];
}

const NS_PER_S = 1_000_000_000;
/** Sort keys pack (offset ns, generation index) into one double: index gets the low 21 bits. */
const INDEX_BITS = 2 ** 21;

interface Second {
  flows: Flow[];
  /** Offset of each flow from the start of the second, ns, ascending. */
  offsets: number[];
}

export function createDemoTraffic(opts: DemoTrafficOptions): DemoTraffic {
  const { seed, rateFlowsPerS } = opts;
  if (!Number.isFinite(seed)) throw new Error(`demo traffic: seed must be a finite number, got ${seed}`);
  if (!Number.isFinite(rateFlowsPerS) || rateFlowsPerS < 0) throw new Error(`demo traffic: invalid rate ${rateFlowsPerS}`);
  const topology = buildTopology(opts.clusterName ?? 'demo', opts.placement);
  const incidents = createIncidentSchedule({ incidents: opts.incidents, defaultTimeline: opts.defaultTimeline });
  const runner = new ConversationRunner(topology, new TrafficMix(topology));
  const nodeNames = topology.nodes.map((n) => n.fullName);
  const nodeLabels = topology.nodes.map((n) => n.labels as string[]);

  function generate(k: number): Second {
    const rng = new Prng(hashNumbers(seed, k, 0x5eed));
    const target = Math.round(rateFlowsPerS * (0.95 + 0.1 * rng.next()));
    const sink = new SecondSink(nodeNames, nodeLabels);
    const mask = incidents.maskAt(k * 1000);
    for (let idle = 0; sink.flows.length < target && idle < 100;) {
      const start = sink.flows.length;
      sink.t = 0;
      runner.run(sink, rng, mask);
      const end = sink.flows.length;
      if (end === start) {
        idle++;
        continue;
      }
      const duration = sink.offsets[end - 1];
      const shift = Math.floor(rng.next() * Math.max(1, NS_PER_S - duration));
      for (let i = start; i < end; i++) sink.offsets[i] = Math.min(NS_PER_S - 1, sink.offsets[i] + shift);
    }
    sink.flows.length = Math.min(sink.flows.length, target);
    sink.offsets.length = sink.flows.length;
    return stamp(k, sink.flows, sink.offsets);
  }

  function stamp(k: number, flows: Flow[], offsets: number[]): Second {
    const n = flows.length;
    const order = sortedOrder(offsets);
    const base = `${new Date(k * 1000).toISOString().slice(0, 19)}.`;
    for (let i = 0; i < 20; i++) timeCodes[i] = base.charCodeAt(i);
    const h1 = hashNumbers(seed, k, 1);
    const h2 = hashNumbers(seed, k, 2);
    const h3 = hashNumbers(seed, k, 3);
    const sorted = new Array<Flow>(n);
    const sortedOffsets = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      const i = order[j];
      const f = flows[i];
      const ns = offsets[i];
      f.time = ns % 1000 === 0 ? formatTimestamp({ seconds: k, nanos: ns }) : timeWithNanos(ns);
      // The first word is a bijection of the index, so uuids never repeat within a second.
      const a = mix32((j + h1) >>> 0);
      const b = mix32(a ^ h2);
      const c = mix32((b + h3) >>> 0);
      f.uuid = uuidFromWords(a, b, c, mix32(c ^ h1));
      sorted[j] = f;
      sortedOffsets[j] = ns;
    }
    return { flows: sorted, offsets: sortedOffsets };
  }

  // A live ticker asks for a few hundred milliseconds at a time: keep the seconds it is in.
  const recent = new Map<number, Second>();
  function second(k: number): Second {
    let sec = recent.get(k);
    if (!sec) {
      sec = generate(k);
      recent.set(k, sec);
      if (recent.size > 2) recent.delete(recent.keys().next().value as number);
    }
    return sec;
  }

  function flowsBetween(fromMs: number, toMs: number): Flow[] {
    const out: Flow[] = [];
    if (!(toMs > fromMs)) return out;
    const last = Math.ceil(toMs / 1000) - 1;
    for (let k = Math.floor(fromMs / 1000); k <= last; k++) {
      const { flows, offsets } = second(k);
      const lo = (fromMs - k * 1000) * 1e6;
      const hi = (toMs - k * 1000) * 1e6;
      for (let i = 0; i < flows.length; i++) if (offsets[i] >= lo && offsets[i] < hi) out.push(flows[i]);
    }
    return out;
  }

  const nodes: DemoNode[] = topology.nodes.map((n) => ({ name: n.fullName, address: n.ip }));
  return {
    clusterName: topology.clusterName,
    nodes,
    namespaces: topology.namespaces,
    seed,
    rateFlowsPerS,
    topology,
    incidents,
    flowsBetween,
    flowsOfSecond: (k) => generate(Math.floor(k)).flows,
  };
}

/** `YYYY-MM-DDTHH:MM:SS.` of the second being stamped, then 9 digits and `Z`, as character codes. */
const timeCodes: number[] = new Array<number>(30).fill(90);

/** The RFC 3339 time of the current second plus `ns` (which must not end in 000: protojson would trim it). */
function timeWithNanos(ns: number): string {
  let x = ns;
  for (let i = 28; i >= 20; i--) {
    timeCodes[i] = 48 + (x % 10);
    x = Math.floor(x / 10);
  }
  return String.fromCharCode.apply(null, timeCodes);
}

/** Indices of `offsets` in ascending order, ties by index, without a comparator callback. */
function sortedOrder(offsets: number[]): Int32Array | number[] {
  const n = offsets.length;
  if (n >= INDEX_BITS) return offsets.map((_, i) => i).sort((x, y) => offsets[x] - offsets[y] || x - y);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = offsets[i] * INDEX_BITS + i;
  keys.sort();
  const order = new Int32Array(n);
  for (let j = 0; j < n; j++) order[j] = keys[j] % INDEX_BITS;
  return order;
}
