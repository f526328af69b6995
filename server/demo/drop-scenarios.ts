/**
 * The cluster's background drops, present in any window: traffic its policies deny (frontend
 * probing Redis directly, fraud-check calling a partner its egress policy does not allow) and
 * datapath drops (a full conntrack table, a stale pod IP, a Service without ready endpoints).
 */
import { BLOCKED_PARTNER_IP } from './cluster-spec';
import type { ConversationRunner } from './conversation-runner';
import { droppedAtSource, synDeniedAtIngress } from './conversations';
import {
  CT_MAP_INSERTION_FAILED, POLICY_DENIED, SERVICE_BACKEND_NOT_FOUND, STALE_OR_UNROUTABLE_IP, type SecondSink,
} from './observations';
import type { Prng } from './prng';

/** A connection a CiliumNetworkPolicy denies, at the destination's ingress or the source's egress. */
export function playDenied(r: ConversationRunner, s: SecondSink, rng: Prng): void {
  const t = r.topo;
  if (rng.chance(0.6)) {
    const redis = t.service('data', 'redis');
    const c = r.conv(rng, rng.pick(t.workload('shop', 'frontend').pods), rng.pick(redis.backends), redis.targetPort, false, redis);
    synDeniedAtIngress(s, rng, c, r.policyOf(t.workload('data', 'redis'), true) ?? []);
    return;
  }
  const fraud = t.workload('payments', 'fraud-check');
  const c = r.conv(rng, rng.pick(fraud.pods), t.world(BLOCKED_PARTNER_IP), 443, false);
  droppedAtSource(s, rng, c, POLICY_DENIED, r.policyOf(fraud, false));
}

/** A packet the datapath drops for a reason other than policy. */
export function playMiscDrop(r: ConversationRunner, s: SecondSink, rng: Prng): void {
  const t = r.topo;
  switch (rng.int(0, 2)) {
    case 0: {
      const kafka = t.service('data', 'kafka');
      const c = r.conv(rng, rng.pick(t.workload('shop', 'api').pods), rng.pick(kafka.backends), kafka.targetPort, false, kafka);
      return droppedAtSource(s, rng, c, CT_MAP_INSERTION_FAILED);
    }
    case 1: {
      // A pod address nothing owns any more (.254 is never allocated): a client with a stale endpoint list.
      const client = rng.pick(t.workload('shop', 'cart').pods);
      const stale = t.world(`${t.nodes[1 + (client.node % 3)].podCidr.slice(0, -4)}254`);
      return droppedAtSource(s, rng, r.conv(rng, client, stale, 8080, false), STALE_OR_UNROUTABLE_IP);
    }
    default: {
      const rec = t.service('shop', 'recommendations');
      const c = r.conv(rng, rng.pick(t.workload('shop', 'frontend').pods), t.world(rec.clusterIp), rec.targetPort, false, rec);
      return droppedAtSource(s, rng, c, SERVICE_BACKEND_NOT_FOUND);
    }
  }
}
