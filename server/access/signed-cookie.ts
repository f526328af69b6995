/**
 * Cookie values the browser carries but cannot alter: JSON with an expiry, signed with
 * HMAC-SHA256 under a key derived per purpose, so a login-state cookie can never pass for a
 * session cookie (or the reverse) even though one secret signs both. Not encrypted: they hold
 * nothing the user may not see (their own name and groups, a one-time PKCE verifier).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export type CookiePurpose = 'session' | 'login';

interface Envelope<T> {
  /** Expiry, ms since the epoch. */
  exp: number;
  data: T;
}

function keyFor(secret: string, purpose: CookiePurpose): Buffer {
  return createHmac('sha256', secret).update(`hubble-dashboard cookie v1 ${purpose}`).digest();
}

function mac(secret: string, purpose: CookiePurpose, payload: string): Buffer {
  return createHmac('sha256', keyFor(secret, purpose)).update(payload).digest();
}

/** `payload.signature`, both base64url: cookie-safe without quoting. */
export function sealCookieValue<T>(secret: string, purpose: CookiePurpose, data: T, expiresAtMs: number): string {
  const payload = Buffer.from(JSON.stringify({ exp: expiresAtMs, data } satisfies Envelope<T>)).toString('base64url');
  return `${payload}.${mac(secret, purpose, payload).toString('base64url')}`;
}

/** The data, or undefined when the value is malformed, signed with another key or purpose, or expired. */
export function openCookieValue<T>(secret: string, purpose: CookiePurpose, value: string | undefined, nowMs: number): T | undefined {
  if (!value) return undefined;
  const dot = value.indexOf('.');
  if (dot <= 0) return undefined;
  const payload = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64url');
  const expected = mac(secret, purpose, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const envelope = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Envelope<T>;
    if (typeof envelope.exp !== 'number' || !(nowMs < envelope.exp)) return undefined;
    return envelope.data;
  } catch {
    return undefined;
  }
}

/** The named cookie's value from a request; undefined when absent. */
export function readCookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  path: string;
  maxAgeS: number;
  secure: boolean;
}

/** A Set-Cookie header value: always HttpOnly and SameSite=Lax (the provider's redirect back is a top-level GET). */
export function setCookieHeader(name: string, value: string, opts: CookieOptions): string {
  return [`${name}=${value}`, `Path=${opts.path}`, `Max-Age=${opts.maxAgeS}`, 'HttpOnly', 'SameSite=Lax', ...(opts.secure ? ['Secure'] : [])].join('; ');
}

/** Deletes a cookie set with the same name and path. */
export function clearCookieHeader(name: string, path: string, secure: boolean): string {
  return setCookieHeader(name, '', { path, maxAgeS: 0, secure });
}
