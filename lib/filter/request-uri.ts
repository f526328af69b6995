/**
 * HTTP request URIs read as Go's `net/url.ParseRequestURI` reads them, for the `http_path` filter.
 */

const HOST_SAFE = /^[-A-Za-z0-9._~!$&'()*+,;=:[\]<>"\u0080-\u{10ffff}]*$/u;

/** Percent-decodes as Go's `unescape` does (every `%` must start a hex pair); undefined when invalid. */
function percentDecode(s: string): string | undefined {
  if (!s.includes('%')) return s;
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) return undefined;
  const decoder = new TextDecoder();
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return decoder.decode(bytes);
  });
}

const validPort = (colonPort: string) => colonPort === '' || /^:[0-9]*$/.test(colonPort);

/** Go's host unescaping: only non-ASCII bytes (and `%25`, in a host) may be percent-encoded. */
function validHostChars(s: string, zone: boolean): boolean {
  if (percentDecode(s) === undefined) return false;
  if (!zone && /%(?![89A-Fa-f][0-9A-Fa-f]|25)/.test(s)) return false;
  return HOST_SAFE.test(s.replace(/%[0-9A-Fa-f]{2}/g, ''));
}

function validHost(host: string): boolean {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0 || !validPort(host.slice(close + 1))) return false;
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) {
      return validHostChars(host.slice(0, zone), false) && validHostChars(host.slice(zone, close), true) &&
        validHostChars(host.slice(close), false);
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !validPort(host.slice(colon))) return false;
  }
  return validHostChars(host, false);
}

function validAuthority(authority: string): boolean {
  const at = authority.lastIndexOf('@');
  if (!validHost(authority.slice(at + 1))) return false;
  if (at < 0) return true;
  const userinfo = authority.slice(0, at);
  return /^[-A-Za-z0-9._:~!$&'()*+,;=%@]*$/.test(userinfo) && userinfo.split(':', 2).every((p) => percentDecode(p) !== undefined);
}

function parseRequestURIPath(raw: string): string | undefined {
  if (raw === '' || /[\x00-\x1f\x7f]/.test(raw)) return undefined;
  if (raw === '*') return '*';
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(raw);
  if (raw.startsWith(':')) return undefined; // "missing protocol scheme"
  let rest = scheme ? raw.slice(scheme[0].length) : raw;
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) return scheme ? '' : undefined; // opaque URI has an empty path
  if (scheme && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    if (!validAuthority(rest.slice(2, slash < 0 ? undefined : slash))) return undefined;
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  return percentDecode(rest);
}

const requestPathCache = new Map<string, string | null>();

/**
 * The decoded path of an HTTP request URI (absolute URI or absolute path), as Go's
 * `url.ParseRequestURI(...).Path`; undefined when Go would reject the URI. Cached: flows repeat URLs.
 */
export function requestURIPath(raw: string): string | undefined {
  let path = requestPathCache.get(raw);
  if (path === undefined) {
    if (requestPathCache.size >= 4096) requestPathCache.clear();
    path = parseRequestURIPath(raw) ?? null;
    requestPathCache.set(raw, path);
  }
  return path ?? undefined;
}
