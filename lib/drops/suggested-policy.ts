/**
 * The CiliumNetworkPolicy that would allow exactly a drop group's traffic, as YAML to review and
 * apply: in the destination's namespace selecting the destination for an ingress drop, in the
 * source's namespace selecting the source for an egress drop. Labels come from the group's sample
 * flows; every value reaches the YAML through `yaml`'s stringify, which quotes whatever needs it
 * (labels and names are chosen by whoever runs workloads in the cluster).
 */
import { stringify } from 'yaml';
import type { DropGroupKey } from '../api/drop-groups';
import type { EdgeEndpoint } from '../filter/edge-filter';
import { workloadSelector, type WorkloadSelector } from './cilium-labels';
import type { DropGroupFacts } from './drop-group-facts';
import { dnsVisibilityRule, peerPart, portPart, type PolicyObject, type PolicySubject } from './policy-peer';

/** A policy to review, or why none is suggested. */
export type PolicySuggestion =
  | {
    kind: 'policy';
    /** The CiliumNetworkPolicy as YAML. */
    yaml: string;
    name: string;
    namespace: string;
    direction: 'ingress' | 'egress';
    /** Where the rule is broader than the dropped traffic, or rests on a guess. */
    warnings: string[];
    /** What else to know before applying it. */
    notes: string[];
  }
  | { kind: 'none'; reason: string };

const HEADER = '# Suggested by Hubble Flow Dashboard from dropped flows: review it before applying.\n';

const endpointText = (e: EdgeEndpoint) => (e.namespace ? `${e.namespace}/${e.entity}` : e.entity);

/** A DNS-1123 name of at most 63 characters. */
function policyName(key: DropGroupKey): string {
  const to = key.destinationName && !key.destinationName.includes('/') ? key.destinationName : key.destination.entity;
  const port = key.port ? `-${key.port}` : '';
  const raw = `allow-${key.source.entity}-to-${to}${port}${key.protocol ? `-${key.protocol}` : ''}`.toLowerCase();
  const clean = raw.replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return clean || 'allow-dropped-traffic';
}

function noSuggestion(key: DropGroupKey): string | undefined {
  const policies = key.policies ? ` (${key.policies.split(',').join(', ')})` : '';
  switch (key.dropReason) {
    case 'POLICY_DENIED':
      return undefined;
    case 'POLICY_DENY':
      return `An explicit deny rule dropped this traffic${policies}. Deny rules win over every allow rule, so no policy can `
        + 'be suggested: change or remove the ingressDeny/egressDeny rule that matches it.';
    case 'AUTH_REQUIRED':
      return 'A policy allows this traffic but requires mutual authentication, which has not happened yet: fix the '
        + 'authentication (SPIRE server and agents) rather than adding a policy.';
    default:
      return 'This drop was not caused by a network policy, so no policy would allow it; see the explanation above.';
  }
}

/** Which side's policy to write: the one that denied, else a guess from which side is a pod. */
function chooseDirection(key: DropGroupKey, facts: DropGroupFacts): { direction: 'ingress' | 'egress'; guessed: boolean } | undefined {
  if (facts.direction !== 'unknown') return { direction: facts.direction, guessed: false };
  if (key.destination.namespace) return { direction: 'ingress', guessed: true };
  if (key.source.namespace) return { direction: 'egress', guessed: true };
  return undefined;
}

/** Why no policy can be written for the group's facts, or the side whose policy to write. */
type Plan = { refused: string } | { direction: 'ingress' | 'egress'; guessed: boolean; subject: PolicySubject };

function plan(key: DropGroupKey, facts: DropGroupFacts): Plan {
  const refused = noSuggestion(key);
  if (refused) return { refused };
  if (facts.samples === 0) {
    return { refused: 'No sample flow of this group is stored for the window (raw flows may have expired), and the labels a policy selects on come from them: widen the window.' };
  }
  const chosen = chooseDirection(key, facts);
  if (!chosen) return { refused: 'Neither side is a pod, and the flows do not say which side denied them: no pod policy applies.' };
  const ingress = chosen.direction === 'ingress';
  const subject: PolicySubject = ingress ? { endpoint: key.destination, facts: facts.destination } : { endpoint: key.source, facts: facts.source };
  if (!subject.endpoint.namespace) {
    return {
      refused: `The ${ingress ? 'destination' : 'source'} ${endpointText(subject.endpoint)} is not a pod: traffic of the node itself is governed by `
        + 'host policies (CiliumClusterwideNetworkPolicy with a nodeSelector), which are not suggested here.',
    };
  }
  return { ...chosen, subject };
}

/** What the selected side's own selector and the guessed direction add to the warnings. */
function subjectWarnings(direction: 'ingress' | 'egress', guessed: boolean, subject: PolicySubject, selector: WorkloadSelector): string[] {
  const side = direction === 'ingress' ? 'destination' : 'source';
  const out: string[] = [];
  if (guessed) {
    out.push(`The flows do not say which side's policy denied them; this assumes ${direction} at the ${side}. If the ${side} `
      + `has no ${direction} policy yet, applying this one starts denying all its other ${direction} traffic.`);
  }
  if (Object.keys(selector.matchLabels).length === 0) {
    out.push(`The ${side} pods carry no labels of their own, so the policy selects every pod in namespace ${subject.endpoint.namespace}.`);
  } else if (!selector.identifying) {
    out.push(`The ${side} has no app label (app, app.kubernetes.io/name, k8s-app, ...): the policy selects pods by `
      + `${Object.keys(selector.matchLabels).join(', ')}, which other workloads may share.`);
  }
  return out;
}

function description(key: DropGroupKey): string {
  const over = key.port ? ` on ${key.port}/${key.protocol}` : key.protocol ? ` over ${key.protocol}` : '';
  return `Allows ${endpointText(key.source)} to ${key.destinationName || endpointText(key.destination)}${over}, dropped as POLICY_DENIED`
    + `${key.policies ? ` by ${key.policies}` : ''}.`;
}

/**
 * The suggested policy for a drop group, built from its key and its sample flows' facts. Only
 * POLICY_DENIED drops get one: an explicit deny cannot be overridden, and other reasons are not
 * about policy.
 */
export function suggestPolicy(key: DropGroupKey, facts: DropGroupFacts): PolicySuggestion {
  const p = plan(key, facts);
  if ('refused' in p) return { kind: 'none', reason: p.refused };
  const { direction, guessed, subject } = p;
  const ingress = direction === 'ingress';
  const peer = ingress ? peerPart('from', key.source, facts.source, subject, '') : peerPart('to', key.destination, facts.destination, subject, key.destinationName);
  const port = portPart(key.protocol, key.port, facts.icmpTypes);
  const selector = workloadSelector(subject.facts.labels);
  const warnings = [...subjectWarnings(direction, guessed, subject, selector), ...peer.warnings, ...port.warnings];
  const notes = [...peer.notes, ...port.notes];
  if (!ingress && key.destination.namespace) {
    notes.push(`If ${endpointText(key.destination)} enforces ingress policy too, it must also allow ${endpointText(key.source)}.`);
  }
  const rules = [{ ...peer.fields, ...port.fields }];
  if ('toFQDNs' in peer.fields) rules.push(dnsVisibilityRule(key.destinationName));
  const name = policyName(key);
  const namespace = subject.endpoint.namespace;
  const policy: PolicyObject = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name, namespace },
    spec: { description: description(key), endpointSelector: { matchLabels: selector.matchLabels }, [direction]: rules },
  };
  return { kind: 'policy', yaml: HEADER + stringify(policy, { lineWidth: 0 }), name, namespace, direction, warnings, notes };
}
