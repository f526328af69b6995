import { describe, expect, it } from 'vitest';
import { DropReason, dropReasonExplanation, dropReasonText } from './drop-reasons';
import { enumName, enumNumber } from './enums';

describe('DropReason', () => {
  it('holds exactly the codes Cilium defines: 0 and 130–205 without 159', () => {
    const expected = [0, ...Array.from({ length: 76 }, (_, i) => 130 + i).filter((n) => n !== 159)];
    expect([...DropReason.byNumber.keys()].sort((a, b) => a - b)).toEqual(expected);
    expect(DropReason.names).toHaveLength(76);
  });

  it('maps every name to a number and back', () => {
    for (const name of DropReason.names) {
      const n = enumNumber(DropReason, name);
      expect(n, name).toBeTypeOf('number');
      expect(enumName(DropReason, n)).toBe(name);
    }
  });

  it.each([
    ['DROP_REASON_UNKNOWN', 0], ['INVALID_SOURCE_IP', 132], ['POLICY_DENIED', 133],
    ['CT_MISSING_TCP_ACK_FLAG', 136], ['SERVICE_BACKEND_NOT_FOUND', 158], ['NO_TUNNEL_OR_ENCAPSULATION_ENDPOINT', 160],
    ['CT_MAP_INSERTION_FAILED', 155], ['FIB_LOOKUP_FAILED', 169], ['POLICY_DENY', 181], ['AUTH_REQUIRED', 189],
    ['DROP_NO_EGRESS_IP', 204], ['DROP_PUNT_PROXY', 205],
  ] as const)('%s is %i', (name, n) => {
    expect(DropReason.byName.get(name)).toBe(n);
    expect(DropReason.byNumber.get(n)).toBe(name);
  });

  it('keeps a number a newer relay may send as a number', () => {
    expect(enumName(DropReason, 206)).toBe(206);
  });
});

describe('dropReasonText', () => {
  it('gives every DropReason the printer text, by name and by number', () => {
    for (const name of DropReason.names) {
      const text = dropReasonText(name);
      expect(text, name).not.toBe('');
      expect(text, name).not.toMatch(/^\d+, 0$/);
      expect(dropReasonText(DropReason.byName.get(name))).toBe(text);
    }
  });

  it.each([
    [133, 'Policy denied'], [181, 'Policy denied by denylist'], [132, 'Invalid source ip'],
    [136, 'Fragmentation needed'], [155, 'CT: Map insertion failed'], [158, 'Service backend not found'],
    [161, 'NAT 46/64 not enabled'], [169, 'FIB lookup failed'], [189, 'Authentication required'],
    [205, 'Punt to proxy'], [0, 'Success'],
  ])('%i → %s', (n, text) => {
    expect(dropReasonText(n)).toBe(text);
  });

  it('accepts names and numeric strings', () => {
    expect(dropReasonText('POLICY_DENIED')).toBe('Policy denied');
    expect(dropReasonText('DROP_PUNT_PROXY')).toBe('Punt to proxy');
    expect(dropReasonText('181')).toBe('Policy denied by denylist');
  });

  it('prints unknown codes the way Cilium does: "<code>, <extended error>"', () => {
    expect(dropReasonText(159)).toBe('159, 0');
    expect(dropReasonText(206)).toBe('206, 0');
    expect(dropReasonText('250')).toBe('250, 0');
  });

  it('returns an unknown name unchanged and treats absence as code 0', () => {
    expect(dropReasonText('DROP_SOMETHING_NEW')).toBe('DROP_SOMETHING_NEW');
    expect(dropReasonText(undefined)).toBe('Success');
  });

  it('knows the non-drop codes that share Cilium\'s table', () => {
    expect(dropReasonText(2)).toBe('Invalid packet');
    expect(dropReasonText(1)).toBe('1, 0');
  });
});

describe('dropReasonExplanation', () => {
  it('explains every DropReason in at most a few sentences', () => {
    for (const name of DropReason.names) {
      const text = dropReasonExplanation(name);
      expect(text.length, name).toBeGreaterThan(40);
      expect(text.length, name).toBeLessThan(420);
      expect(dropReasonExplanation(DropReason.byName.get(name))).toBe(text);
    }
  });

  it('says what to check for the common drops', () => {
    expect(dropReasonExplanation('POLICY_DENIED')).toMatch(/no rule[\s\S]*destination \(ingress\)[\s\S]*source \(egress\)/);
    expect(dropReasonExplanation('POLICY_DENY')).toMatch(/explicit deny rule/);
    expect(dropReasonExplanation('AUTH_REQUIRED')).toMatch(/mutual authentication/);
    expect(dropReasonExplanation('SERVICE_BACKEND_NOT_FOUND')).toMatch(/no ready endpoints/);
    expect(dropReasonExplanation('FIB_LOOKUP_FAILED')).toMatch(/rout/);
    expect(dropReasonExplanation('CT_MAP_INSERTION_FAILED')).toMatch(/conntrack\s+table is full/);
    expect(dropReasonExplanation(132)).toMatch(/source IP/);
  });

  it('says when an unknown code or name is not one it knows', () => {
    expect(dropReasonExplanation(206)).toMatch(/code 206 is not one this dashboard knows/);
    expect(dropReasonExplanation('DROP_SOMETHING_NEW')).toMatch(/DROP_SOMETHING_NEW is not one/);
    expect(dropReasonExplanation(3)).toMatch(/not a drop reason/);
  });
});
