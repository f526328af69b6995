/**
 * IP addresses and CIDR prefixes with Go's `net/netip` rules: what `netip.ParseAddr` and
 * `netip.ParsePrefix` accept, and `Prefix.Contains`. Parsers return undefined on invalid input.
 */

/** A parsed IP address: 4 bytes (IPv4) or 16 bytes (IPv6, including IPv4-mapped), and an IPv6 zone. */
export interface IPAddress {
  readonly bytes: Uint8Array;
  readonly zone: string;
}

/** A CIDR prefix; `addr` need not be masked (`10.1.2.3/8` is valid, as in Go). */
export interface IPPrefix {
  readonly addr: IPAddress;
  readonly bits: number;
}

function parseIPv4Into(s: string, start: number, end: number, out: Uint8Array, at: number): boolean {
  let fields = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return false; // leading zero
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return false;
    } else if (c === 46 && digits > 0 && fields < 3) {
      out[at + fields++] = value;
      value = 0;
      digits = 0;
    } else {
      return false;
    }
  }
  if (fields !== 3 || digits === 0) return false;
  out[at + 3] = value;
  return true;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function parseIPv6(s: string): IPAddress | undefined {
  const pct = s.indexOf('%');
  const zone = pct < 0 ? '' : s.slice(pct + 1);
  if (pct >= 0 && zone === '') return undefined;
  const end = pct < 0 ? s.length : pct;
  const ip = new Uint8Array(16);
  let pos = 0;
  let ellipsis = -1;
  if (end >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0;
    pos = 2;
    if (pos === end) return { bytes: ip, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; pos + off < end; off++) {
      const v = hexValue(s.charCodeAt(pos + off));
      if (v < 0) break;
      if (off > 3) return undefined;
      acc = acc * 16 + v;
    }
    if (off === 0) return undefined;
    if (pos + off < end && s[pos + off] === '.') {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      if (!parseIPv4Into(s, pos, end, ip, i)) return undefined;
      pos = end;
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    pos += off;
    if (pos === end) break;
    if (s[pos] !== ':' || pos + 1 === end) return undefined;
    pos++;
    if (s[pos] === ':') {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      pos++;
      if (pos === end) break;
    }
  }
  if (pos !== end) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    ip.copyWithin(ellipsis + n, ellipsis, i);
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    return undefined;
  }
  return { bytes: ip, zone };
}

/** Parses an IP address exactly as Go's `netip.ParseAddr` accepts it; undefined when invalid. */
export function parseIPAddress(s: string): IPAddress | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '.') {
      const bytes = new Uint8Array(4);
      return parseIPv4Into(s, 0, s.length, bytes, 0) ? { bytes, zone: '' } : undefined;
    }
    if (c === ':') return parseIPv6(s);
    if (c === '%') return undefined;
  }
  return undefined;
}

/** Parses a CIDR prefix as Go's `netip.ParsePrefix` does (no zones, no leading zeros in the length). */
export function parseIPPrefix(s: string): IPPrefix | undefined {
  const slash = s.lastIndexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIPAddress(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (addr === undefined || addr.zone !== '' || !/^(?:0|[1-9][0-9]{0,2})$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  return bits > addr.bytes.length * 8 ? undefined : { addr, bits };
}

/** Whether `prefix` contains `addr` (same family, no zone), like Go's `Prefix.Contains`. */
export function prefixContains(prefix: IPPrefix, addr: IPAddress): boolean {
  const p = prefix.addr.bytes;
  const a = addr.bytes;
  if (addr.zone !== '' || p.length !== a.length) return false;
  const whole = prefix.bits >> 3;
  for (let i = 0; i < whole; i++) if (p[i] !== a[i]) return false;
  const rest = prefix.bits & 7;
  return rest === 0 || ((p[whole] ^ a[whole]) & (0xff << (8 - rest)) & 0xff) === 0;
}

const parsedAddressCache = new Map<string, IPAddress | null>();

/** {@link parseIPAddress} through a bounded cache: flows repeat the same few addresses. */
export function parseIPAddressCached(s: string): IPAddress | undefined {
  let parsed = parsedAddressCache.get(s);
  if (parsed === undefined) {
    if (parsedAddressCache.size >= 4096) parsedAddressCache.clear();
    parsed = parseIPAddress(s) ?? null;
    parsedAddressCache.set(s, parsed);
  }
  return parsed ?? undefined;
}
