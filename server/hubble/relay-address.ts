/**
 * The relay address as the hubble CLI takes it (`--server`): `host:port`, `tls://host:port`,
 * `[ipv6]:port`, or a bare host that gets Hubble Relay's port 4245.
 */
import { ConfigError } from '../config';

/** Hubble Relay's listening port (`RelayPort` in cilium's hubble defaults). */
export const DEFAULT_RELAY_PORT = 4245;

export interface RelayAddress {
  /** Host name or IP literal, without brackets. */
  host: string;
  port: number;
  /** What to hand to grpc-js: `host:port`, IPv6 in brackets. */
  target: string;
  /** True when the address said `tls://`. */
  tls: boolean;
}

const HOSTNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?$/;

/**
 * Parses a relay address; throws ConfigError naming `envName` and the accepted forms.
 * `envName` only labels the message (this module never reads the environment).
 */
export function parseRelayAddress(raw: string, envName = 'HUBBLE_RELAY_ADDR'): RelayAddress {
  const fail: (why: string) => never = (why) => {
    throw new ConfigError(`${envName}=${raw}: ${why}; expected host:port or tls://host:port`);
  };
  let rest = raw.trim();
  if (!rest) fail('empty address');
  let tls = false;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(rest);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    if (name !== 'tls') fail(`unsupported scheme ${name}://`);
    tls = true;
    rest = rest.slice(scheme[0].length);
  }
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  if (!rest) fail('no host');
  if (/[/\s@?#]/.test(rest)) fail('unexpected characters (a path, spaces or credentials)');

  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
    if (!m) fail('unbalanced brackets around the IPv6 address');
    host = m[1];
    portText = m[2];
    if (!IPV6.test(host) || !host.includes(':')) fail(`"${host}" is not an IPv6 address`);
  } else {
    const colons = rest.split(':').length - 1;
    if (colons > 1) fail(`an IPv6 address needs brackets, e.g. [${rest}]:${DEFAULT_RELAY_PORT}`);
    [host, portText] = colons === 1 ? (rest.split(':') as [string, string]) : [rest, undefined];
    if (!host) fail('no host before the port');
    if (IPV4.test(host)) {
      if (host.split('.').some((octet) => Number(octet) > 255)) fail(`"${host}" is not an IPv4 address`);
    } else if (!HOSTNAME.test(host)) fail(`"${host}" is not a host name`);
  }
  const port = parsePort(portText, fail);
  const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return { host, port, target, tls };
}

function parsePort(text: string | undefined, fail: (why: string) => never): number {
  if (text === undefined) return DEFAULT_RELAY_PORT;
  if (!/^\d{1,5}$/.test(text)) fail(text ? `port "${text}" is not a number` : 'empty port');
  const port = Number(text);
  if (port < 1 || port > 65535) fail(`port ${port} is outside 1-65535`);
  return port;
}

