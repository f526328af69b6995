import { describe, expect, it } from 'vitest';
import { parseIPAddress, parseIPPrefix, prefixContains } from './ip-address';

describe('IP addresses (netip.ParseAddr)', () => {
  it.each([
    ['1.2.3.4', true], ['0.0.0.0', true], ['01.2.3.4', false], ['1.2.3', false], ['256.1.1.1', false],
    ['1.2.3.4.5', false], ['1.2.3.', false], ['', false], ['::', true], ['::1', true], ['2001:db8::1', true],
    ['::ffff:1.2.3.4', true], ['::1.2.3.4', true], ['1:2:3:4:5:6:1.2.3.4', true], ['1:2:3:4:5:1.2.3.4', false],
    ['1::2::3', false], ['fe80::1%eth0', true], ['fe80::1%', false], ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7:8:9', false], ['1:2:3:4:5:6:7::', true], ['1:2:3:4:5:6:7:8::', false], ['12345::', false],
    ['1:2:3:4:5:6:7', false], ['2001:DB8::A', true], ['1.2.3.4%eth0', false], ['%eth0', false], ['abc', false],
  ])('%j valid: %s', (text, valid) => {
    expect(parseIPAddress(text) !== undefined).toBe(valid);
  });

  it('expands :: and keeps IPv4-mapped addresses 16 bytes long', () => {
    expect(Array.from(parseIPAddress('2001:db8::1')!.bytes)).toEqual([0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPAddress('::ffff:1.2.3.4')!.bytes.length).toBe(16);
  });
});

describe('IP prefixes (netip.ParsePrefix, Prefix.Contains)', () => {
  it.each([
    ['10.0.0.0/8', true], ['10.1.2.3/8', true], ['10.0.0.0/33', false], ['10.0.0.0/08', false], ['::/0', true],
    ['2001:db8::/129', false], ['fe80::1%eth0/64', false], ['10.0.0.0', false], ['10.0.0.0/', false],
    ['10.0.0.0/-1', false], ['10.0.0.0/+8', false],
  ])('%j valid: %s', (text, valid) => {
    expect(parseIPPrefix(text) !== undefined).toBe(valid);
  });

  it.each([
    ['10.0.0.0/8', '10.255.1.1', true], ['10.0.0.0/8', '11.0.0.1', false], ['10.1.2.3/8', '10.9.9.9', true],
    ['0.0.0.0/0', '192.168.1.1', true], ['1.2.3.4/31', '1.2.3.5', true], ['1.2.3.4/31', '1.2.3.6', false],
    ['::ffff:10.0.0.0/104', '10.0.0.1', false], ['10.0.0.0/8', '::ffff:10.0.0.1', false],
    ['2001:db8::/32', '2001:db8:1::5', true], ['2001:db8::/32', '2001:db9::5', false],
    ['fe80::/10', 'fe80::1%eth0', false], ['::/0', '10.0.0.1', false],
  ])('%j contains %j: %s', (prefix, addr, expected) => {
    expect(prefixContains(parseIPPrefix(prefix)!, parseIPAddress(addr)!)).toBe(expected);
  });
});
