/**
 * What a request says about where it came from and what it is for, from the headers browsers
 * set themselves (Sec-Fetch-*, Origin, Referer); a page's script cannot forge them. Used to tell a
 * top-level navigation (which may be sent to sign in) from the fetches a page makes (which get
 * 401), and a sign-out the user clicked from one another site triggered.
 */
import type { IncomingHttpHeaders } from 'node:http';

function one(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v)?.trim().toLowerCase() || undefined;
}

/**
 * A top-level navigation: the address bar, a link, a redirect. Next's client-side RSC fetches
 * and prefetches, scripts, images and the browser's own prefetches are not; a sign-in started
 * for each of those would only leave a login cookie behind. Without Sec-Fetch headers (curl, an
 * old browser) a request that accepts HTML counts as one.
 */
export function isTopLevelNavigation(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  if (method !== 'GET') return false;
  if (one(headers, 'rsc') !== undefined || one(headers, 'next-router-prefetch') !== undefined) return false;
  if (/prefetch|prerender/.test(`${one(headers, 'sec-purpose') ?? ''} ${one(headers, 'purpose') ?? ''}`)) return false;
  const mode = one(headers, 'sec-fetch-mode');
  const dest = one(headers, 'sec-fetch-dest');
  if (mode !== undefined || dest !== undefined) return mode === 'navigate' || dest === 'document';
  return /(^|[\s,])text\/html([\s;,]|$)/.test(one(headers, 'accept') ?? '');
}

function originOf(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  return new URL(url).origin;
}

/**
 * `same`: the browser says the request comes from the dashboard's own pages (or was typed);
 * `other`: from another site or origin; `unknown`: no header says (curl, an old browser, a
 * policy that strips Origin and Referer).
 */
export function requestSource(headers: IncomingHttpHeaders, publicOrigin: string): 'same' | 'other' | 'unknown' {
  const site = one(headers, 'sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return 'other';
  const origin = one(headers, 'origin');
  // `null` is what a page with Referrer-Policy no-referrer sends on a POST: it proves nothing.
  if (origin !== undefined && origin !== 'null' && origin !== publicOrigin.toLowerCase()) return 'other';
  const referer = originOf(one(headers, 'referer'));
  if (referer !== undefined && referer !== publicOrigin.toLowerCase()) return 'other';
  if (site === 'same-origin' || site === 'none' || origin === publicOrigin.toLowerCase() || referer !== undefined) return 'same';
  return 'unknown';
}
