/**
 * Establishes the viewer of one HTTP request from the authenticating proxy's headers, or in oidc
 * mode from the signed session cookie. The headers count only when the connection comes from a
 * trusted proxy address: anyone else could type them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { NamespaceScope } from '../../lib/access/namespace-scope';
import { UNRESTRICTED_VIEWER, type Viewer } from '../../lib/access/viewer';
import { parseIPAddress, parseIPPrefix, prefixContains } from '../../lib/filter/ip-address';
import type { AuthConfig, GroupAccess } from '../config';
import { readSession } from './session-cookie';

export type AuthResult = { ok: true; viewer: Viewer } | { ok: false; status: 401 | 403; message: string };

function fromTrustedProxy(trusted: readonly string[], remoteAddress: string | undefined): boolean {
  if (!remoteAddress) return false;
  // Node reports IPv4 peers of a dual-stack socket as IPv4-mapped IPv6.
  const addr = parseIPAddress(remoteAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, ''));
  if (!addr) return false;
  return trusted.some((t) => {
    const prefix = parseIPPrefix(t.includes('/') ? t : `${t}/${t.includes(':') ? 128 : 32}`);
    return prefix !== undefined && prefixContains(prefix, addr);
  });
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const v = headers[name];
  return (Array.isArray(v) ? v.join(',') : v ?? '').trim();
}

/** The namespaces a set of groups may see: the union of their grants, `*` if any grants all. */
export function namespacesOfGroups(access: readonly GroupAccess[], groups: readonly string[]): NamespaceScope {
  const out = new Set<string>();
  for (const grant of access) {
    if (!groups.includes(grant.group)) continue;
    if (grant.namespaces === '*') return '*';
    for (const ns of grant.namespaces) out.add(ns);
  }
  return [...out].sort();
}

/** The viewer these groups make, or 403 naming the user and groups when they grant no namespace. */
function viewerOfGroups(access: readonly GroupAccess[], user: string, groups: string[]): AuthResult {
  const namespaces = namespacesOfGroups(access, groups);
  if (namespaces !== '*' && namespaces.length === 0) {
    return { ok: false, status: 403, message: `${user} (groups: ${groups.join(', ') || 'none'}) may see no namespace; HUBBLE_DASHBOARD_ACCESS grants namespaces to groups` };
  }
  return { ok: true, viewer: { user, groups, namespaces } };
}

export function authenticate(auth: AuthConfig, remoteAddress: string | undefined, headers: IncomingHttpHeaders, nowMs = Date.now()): AuthResult {
  if (auth.mode === 'none') return { ok: true, viewer: UNRESTRICTED_VIEWER };
  if (auth.mode === 'oidc') {
    const session = readSession(auth.oidc, headers, nowMs);
    if (!session) return { ok: false, status: 401, message: 'not signed in: no valid session; sign in at /auth/login' };
    return viewerOfGroups(auth.access, session.user, session.groups);
  }
  if (!fromTrustedProxy(auth.trustedProxies, remoteAddress)) {
    return { ok: false, status: 403, message: 'requests must come through the authenticating proxy (HUBBLE_DASHBOARD_TRUSTED_PROXIES)' };
  }
  const user = header(headers, auth.userHeader);
  if (!user) return { ok: false, status: 401, message: `not signed in: the proxy sent no ${auth.userHeader} header` };
  const groups = header(headers, auth.groupsHeader).split(',').map((g) => g.trim()).filter(Boolean);
  return viewerOfGroups(auth.access, user, groups);
}
