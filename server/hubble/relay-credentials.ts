/**
 * gRPC credentials for the relay connection, with the hubble CLI's TLS options (`conn/tls.go`):
 * plaintext unless the address says `tls://` or a TLS option is set; a PEM CA bundle instead of
 * the system roots; a client certificate and key for mTLS; the name expected in the server
 * certificate; or no verification at all.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ConfigError, type RelayTlsConfig } from '../config';
import type { RelayAddress } from './relay-address';

/** The variables config.ts reads these settings from, named in every error message. */
export const RELAY_TLS_ENV = {
  caFile: 'HUBBLE_TLS_CA_FILE',
  clientCertFile: 'HUBBLE_TLS_CLIENT_CERT_FILE',
  clientKeyFile: 'HUBBLE_TLS_CLIENT_KEY_FILE',
  serverName: 'HUBBLE_TLS_SERVER_NAME',
  allowInsecure: 'HUBBLE_TLS_ALLOW_INSECURE',
} as const;

export interface RelayCredentials {
  credentials: grpc.ChannelCredentials;
  /** Channel options the credentials need (server-name override); merge into the client's. */
  channelOptions: grpc.ChannelOptions;
  tls: boolean;
  /** Whether a client certificate is presented (mTLS). */
  clientCert: boolean;
  /** For logs: `plaintext`, `TLS (CA bundle /x, client certificate, server name y)`. */
  description: string;
}

/** Reads a file as a Buffer; injectable for tests. */
export type ReadFile = (path: string) => Buffer;

/** Whether TLS is on: `tls://`, or any TLS option configured. */
export function relayUsesTls(address: Pick<RelayAddress, 'tls'>, tls: RelayTlsConfig): boolean {
  return (
    address.tls || tls.allowInsecure ||
    [tls.caFile, tls.clientCertFile, tls.clientKeyFile, tls.serverName].some((v) => v !== undefined)
  );
}

/**
 * Builds the channel credentials; throws ConfigError naming the file and the variable when a
 * file cannot be read or does not hold what it should.
 */
export function relayCredentials(
  address: Pick<RelayAddress, 'tls'>,
  tls: RelayTlsConfig,
  readFile: ReadFile = readFileSync,
): RelayCredentials {
  if (!relayUsesTls(address, tls)) {
    return { credentials: grpc.credentials.createInsecure(), channelOptions: {}, tls: false, clientCert: false, description: 'plaintext' };
  }
  const parts: string[] = [];
  const ca = tls.caFile === undefined ? null : readCaBundle(tls.caFile, readFile);
  if (tls.caFile !== undefined) parts.push(`CA bundle ${tls.caFile}`);
  const client = readClientPair(tls, readFile);
  if (client) parts.push('client certificate');
  const channelOptions: grpc.ChannelOptions = {};
  if (tls.serverName !== undefined) {
    checkServerName(tls.serverName);
    channelOptions['grpc.ssl_target_name_override'] = tls.serverName;
    channelOptions['grpc.default_authority'] = tls.serverName;
    parts.push(`server name ${tls.serverName}`);
  }
  const verify: grpc.VerifyOptions = tls.allowInsecure
    ? { rejectUnauthorized: false, checkServerIdentity: () => undefined }
    : {};
  if (tls.allowInsecure) parts.push('certificate NOT verified');
  const credentials = grpc.credentials.createSsl(ca, client?.key ?? null, client?.cert ?? null, verify);
  const description = parts.length ? `TLS (${parts.join(', ')})` : 'TLS (system CA roots)';
  return { credentials, channelOptions, tls: true, clientCert: client !== undefined, description };
}

function read(path: string, env: string, what: string, readFile: ReadFile): Buffer {
  try {
    return readFile(path);
  } catch (err) {
    throw new ConfigError(`${env}=${path}: cannot read the ${what} (${errorText(err)})`);
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemCertificates(pem: Buffer, path: string, env: string, what: string): X509Certificate[] {
  const blocks = pem.toString('utf8').match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new ConfigError(`${env}=${path}: no PEM certificate in the ${what} (expected -----BEGIN CERTIFICATE-----)`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(`${env}=${path}: certificate ${i + 1} of the ${what} is not valid PEM (${errorText(err)})`);
    }
  });
}

function readCaBundle(path: string, readFile: ReadFile): Buffer {
  const pem = read(path, RELAY_TLS_ENV.caFile, 'CA bundle', readFile);
  pemCertificates(pem, path, RELAY_TLS_ENV.caFile, 'CA bundle');
  return pem;
}

function readClientPair(tls: RelayTlsConfig, readFile: ReadFile): { cert: Buffer; key: Buffer } | undefined {
  const { clientCertFile: certFile, clientKeyFile: keyFile } = tls;
  const { clientCertFile: certEnv, clientKeyFile: keyEnv } = RELAY_TLS_ENV;
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    const [set, missing] = certFile === undefined ? [keyEnv, certEnv] : [certEnv, keyEnv];
    throw new ConfigError(`${set} is set but ${missing} is not: client TLS (mTLS) needs both the certificate and its key`);
  }
  const cert = read(certFile, certEnv, 'client certificate', readFile);
  const [leaf] = pemCertificates(cert, certFile, certEnv, 'client certificate');
  const key = read(keyFile, keyEnv, 'client key', readFile);
  if (/-----BEGIN (?:ENCRYPTED PRIVATE KEY|[A-Z ]+PRIVATE KEY-----\s*Proc-Type: 4,ENCRYPTED)/.test(key.toString('utf8'))) {
    throw new ConfigError(`${keyEnv}=${keyFile}: the key is encrypted with a passphrase; store it unencrypted (openssl pkey -in KEY -out KEY.plain)`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch (err) {
    throw new ConfigError(`${keyEnv}=${keyFile}: not an unencrypted PEM private key (${errorText(err)})`);
  }
  if (!leaf.checkPrivateKey(keyObject)) {
    throw new ConfigError(`${keyEnv}=${keyFile}: this key does not belong to the certificate in ${certEnv}=${certFile}`);
  }
  return { cert, key };
}

function checkServerName(name: string): void {
  if (!/^[A-Za-z0-9_.:*-]+$/.test(name)) {
    throw new ConfigError(`${RELAY_TLS_ENV.serverName}=${name}: expected a DNS name such as instance.hubble-relay.cilium.io`);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
