import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config';
import { DEFAULT_RELAY_PORT, parseRelayAddress } from './relay-address';

describe('parseRelayAddress', () => {
  it.each([
    ['localhost:4245', { host: 'localhost', port: 4245, target: 'localhost:4245', tls: false }],
    ['hubble-relay.kube-system.svc:80', { host: 'hubble-relay.kube-system.svc', port: 80, target: 'hubble-relay.kube-system.svc:80', tls: false }],
    ['10.0.0.1:4245', { host: '10.0.0.1', port: 4245, target: '10.0.0.1:4245', tls: false }],
    ['tls://relay.example.com:443', { host: 'relay.example.com', port: 443, target: 'relay.example.com:443', tls: true }],
    ['TLS://relay.example.com:443/', { host: 'relay.example.com', port: 443, target: 'relay.example.com:443', tls: true }],
    ['[::1]:4245', { host: '::1', port: 4245, target: '[::1]:4245', tls: false }],
    ['tls://[fd00::10]:4443', { host: 'fd00::10', port: 4443, target: '[fd00::10]:4443', tls: true }],
    ['[fe80::1%eth0]:4245', { host: 'fe80::1%eth0', port: 4245, target: '[fe80::1%eth0]:4245', tls: false }],
    ['hubble-relay', { host: 'hubble-relay', port: DEFAULT_RELAY_PORT, target: 'hubble-relay:4245', tls: false }],
    ['tls://hubble-relay', { host: 'hubble-relay', port: 4245, target: 'hubble-relay:4245', tls: true }],
    ['[::1]', { host: '::1', port: 4245, target: '[::1]:4245', tls: false }],
    ['  127.0.0.1:1  ', { host: '127.0.0.1', port: 1, target: '127.0.0.1:1', tls: false }],
  ])('%s', (raw, expected) => {
    expect(parseRelayAddress(raw)).toEqual(expected);
  });

  it.each([
    ['', 'empty address'],
    ['   ', 'empty address'],
    ['tls://', 'no host'],
    ['http://relay:80', 'unsupported scheme http://'],
    ['unix:///var/run/hubble.sock', 'unsupported scheme unix://'],
    ['relay:', 'empty port'],
    ['relay:http', 'port "http" is not a number'],
    ['relay:0', 'port 0 is outside 1-65535'],
    ['relay:65536', 'port 65536 is outside 1-65535'],
    ['relay:123456', 'port "123456" is not a number'],
    [':4245', 'no host before the port'],
    ['::1', 'an IPv6 address needs brackets, e.g. [::1]:4245'],
    ['fd00::1:4245', 'an IPv6 address needs brackets'],
    ['[::1', 'unbalanced brackets'],
    ['[::1]x', 'unbalanced brackets'],
    ['[relay]:4245', '"relay" is not an IPv6 address'],
    ['300.1.1.1:4245', '"300.1.1.1" is not an IPv4 address'],
    ['relay:4245/path', 'unexpected characters'],
    ['user@relay:4245', 'unexpected characters'],
    ['my relay:4245', 'unexpected characters'],
    ['-relay:4245', '"-relay" is not a host name'],
  ])('rejects %j', (raw, why) => {
    let error: unknown;
    try {
      parseRelayAddress(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`HUBBLE_RELAY_ADDR=${raw}: `)).toBe(true);
    expect(message).toContain(why);
    expect(message).toMatch(/expected host:port or tls:\/\/host:port$/);
  });

  it('names the variable it was given', () => {
    expect(() => parseRelayAddress('x:y', '--server')).toThrow('--server=x:y: port "y" is not a number; expected host:port or tls://host:port');
  });
});
