import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, type RelayTlsConfig } from '../config';
import { relayCredentials, relayUsesTls } from './relay-credentials';

let dir: string;
const file = (name: string) => join(dir, name);

/** A CA and a client certificate signed by it, made with openssl (EC keys: fast). */
function makeCertificates(): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=test-ca');
  openssl('req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=collector');
  openssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2');
  openssl('req', ...ec, '-keyout', 'other.key', '-out', 'other.csr', '-subj', '/CN=other');
  writeFileSync(file('bundle.crt'), Buffer.concat([readFileSync(file('ca.crt')), readFileSync(file('client.crt'))]));
  writeFileSync(file('garbage.crt'), 'hello, not a certificate\n');
  writeFileSync(file('broken.crt'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  openssl('pkey', '-in', 'client.key', '-aes256', '-passout', 'pass:secret', '-out', 'encrypted.key');
  openssl('ec', '-in', 'client.key', '-aes256', '-passout', 'pass:secret', '-out', 'legacy-encrypted.key');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'relay-credentials-'));
  makeCertificates();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plain = { tls: false };
const tlsScheme = { tls: true };
const none: RelayTlsConfig = { allowInsecure: false };

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

interface VerifyOptionsView { verifyOptions?: { rejectUnauthorized?: boolean; checkServerIdentity?: (...args: unknown[]) => unknown } }

describe('relayCredentials', () => {
  it('is plaintext when nothing asks for TLS', () => {
    const c = relayCredentials(plain, none);
    expect(c).toMatchObject({ tls: false, description: 'plaintext', channelOptions: {} });
    expect(c.credentials._isSecure()).toBe(false);
  });

  it('uses the system roots for tls:// alone', () => {
    const c = relayCredentials(tlsScheme, none);
    expect(c).toMatchObject({ tls: true, description: 'TLS (system CA roots)', channelOptions: {} });
    expect(c.credentials._isSecure()).toBe(true);
  });

  // Every combination of the scheme and the five settings (cert and key count as one pair).
  const switches = ['scheme', 'ca', 'pair', 'serverName', 'insecure'] as const;
  const combinations = Array.from({ length: 2 ** switches.length }, (_, bits) =>
    switches.filter((_, i) => bits & (1 << i)));
  it.each(combinations.map((on) => [on.join('+') || '(none)', on] as const))('combination %s', (_, on) => {
    const has = (s: (typeof switches)[number]) => on.includes(s);
    const tls: RelayTlsConfig = {
      caFile: has('ca') ? file('ca.crt') : undefined,
      clientCertFile: has('pair') ? file('client.crt') : undefined,
      clientKeyFile: has('pair') ? file('client.key') : undefined,
      serverName: has('serverName') ? 'instance.hubble-relay.cilium.io' : undefined,
      allowInsecure: has('insecure'),
    };
    const address = { tls: has('scheme') };
    const c = relayCredentials(address, tls);
    expect(c.tls).toBe(on.length > 0);
    expect(relayUsesTls(address, tls)).toBe(on.length > 0);
    expect(c.credentials._isSecure()).toBe(on.length > 0);
    expect(c.description.includes(`CA bundle ${file('ca.crt')}`)).toBe(has('ca'));
    expect(c.description.includes('client certificate')).toBe(has('pair'));
    expect(c.clientCert).toBe(has('pair'));
    expect(c.description.includes('certificate NOT verified')).toBe(has('insecure'));
    expect(c.channelOptions).toEqual(has('serverName')
      ? { 'grpc.ssl_target_name_override': 'instance.hubble-relay.cilium.io', 'grpc.default_authority': 'instance.hubble-relay.cilium.io' }
      : {});
    const verify = (c.credentials as unknown as VerifyOptionsView).verifyOptions;
    if (has('insecure')) {
      expect(verify?.rejectUnauthorized).toBe(false);
      expect(verify?.checkServerIdentity?.('anything', {})).toBeUndefined();
    } else if (c.tls) {
      expect(verify).toEqual({});
    }
  });

  it('accepts a bundle of several certificates', () => {
    expect(relayCredentials(plain, { ...none, caFile: file('bundle.crt') }).description).toBe(`TLS (CA bundle ${file('bundle.crt')})`);
  });

  it('names the file and the variable when the CA bundle is unusable', () => {
    expect(configError(() => relayCredentials(plain, { ...none, caFile: file('missing.crt') })))
      .toMatch(new RegExp(`^HUBBLE_TLS_CA_FILE=${file('missing.crt')}: cannot read the CA bundle \\(ENOENT: no such file or directory`));
    expect(configError(() => relayCredentials(plain, { ...none, caFile: dir })))
      .toMatch(/^HUBBLE_TLS_CA_FILE=.*: cannot read the CA bundle \(EISDIR/);
    expect(configError(() => relayCredentials(plain, { ...none, caFile: file('garbage.crt') })))
      .toBe(`HUBBLE_TLS_CA_FILE=${file('garbage.crt')}: no PEM certificate in the CA bundle (expected -----BEGIN CERTIFICATE-----)`);
    expect(configError(() => relayCredentials(plain, { ...none, caFile: file('broken.crt') })))
      .toMatch(new RegExp(`^HUBBLE_TLS_CA_FILE=${file('broken.crt')}: certificate 1 of the CA bundle is not valid PEM \\(`));
  });

  it('wants the client certificate and key together', () => {
    expect(configError(() => relayCredentials(tlsScheme, { ...none, clientCertFile: file('client.crt') })))
      .toBe('HUBBLE_TLS_CLIENT_CERT_FILE is set but HUBBLE_TLS_CLIENT_KEY_FILE is not: client TLS (mTLS) needs both the certificate and its key');
    expect(configError(() => relayCredentials(tlsScheme, { ...none, clientKeyFile: file('client.key') })))
      .toBe('HUBBLE_TLS_CLIENT_KEY_FILE is set but HUBBLE_TLS_CLIENT_CERT_FILE is not: client TLS (mTLS) needs both the certificate and its key');
  });

  it('names the file and the variable when the client pair is unusable', () => {
    const pair = (cert: string, key: string) => () =>
      relayCredentials(tlsScheme, { ...none, clientCertFile: file(cert), clientKeyFile: file(key) });
    expect(configError(pair('nope.crt', 'client.key'))).toMatch(/^HUBBLE_TLS_CLIENT_CERT_FILE=.*nope\.crt: cannot read the client certificate \(ENOENT/);
    expect(configError(pair('client.crt', 'nope.key'))).toMatch(/^HUBBLE_TLS_CLIENT_KEY_FILE=.*nope\.key: cannot read the client key \(ENOENT/);
    expect(configError(pair('client.key', 'client.key'))).toMatch(/^HUBBLE_TLS_CLIENT_CERT_FILE=.*client\.key: no PEM certificate in the client certificate/);
    expect(configError(pair('client.crt', 'client.crt'))).toMatch(/^HUBBLE_TLS_CLIENT_KEY_FILE=.*client\.crt: not an unencrypted PEM private key \(/);
    expect(configError(pair('client.crt', 'encrypted.key')))
      .toBe(`HUBBLE_TLS_CLIENT_KEY_FILE=${file('encrypted.key')}: the key is encrypted with a passphrase; store it unencrypted (openssl pkey -in KEY -out KEY.plain)`);
    expect(configError(pair('client.crt', 'legacy-encrypted.key'))).toMatch(/legacy-encrypted\.key: the key is encrypted with a passphrase/);
    expect(configError(pair('client.crt', 'other.key')))
      .toBe(`HUBBLE_TLS_CLIENT_KEY_FILE=${file('other.key')}: this key does not belong to the certificate in HUBBLE_TLS_CLIENT_CERT_FILE=${file('client.crt')}`);
  });

  it('rejects a server name that is not a DNS name', () => {
    expect(configError(() => relayCredentials(plain, { ...none, serverName: 'not a name' })))
      .toBe('HUBBLE_TLS_SERVER_NAME=not a name: expected a DNS name such as instance.hubble-relay.cilium.io');
  });

  it('reads files through the injected reader', () => {
    const seen: string[] = [];
    const ca = readFileSync(file('ca.crt'));
    relayCredentials(plain, { ...none, caFile: '/virtual/ca.pem' }, (path) => (seen.push(path), ca));
    expect(seen).toEqual(['/virtual/ca.pem']);
  });
});
