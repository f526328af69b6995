import { describe, expect, it } from 'vitest';
import type { OidcSettings } from './oidc-settings';
import { readSession, sessionCookieName, sessionSetCookie } from './session-cookie';
import { openCookieValue, sealCookieValue } from './signed-cookie';

const SECRET = 'k'.repeat(40);
const OIDC = { sessionSecret: SECRET, sessionLifetimeMs: 3_600_000, secureCookies: false } as OidcSettings;
const NOW_MS = 1_800_000_000_000;

/** The Cookie request header a browser would send back for a Set-Cookie value. */
const cookieFrom = (setCookie: string) => ({ cookie: `other=1; ${setCookie.split(';')[0]}` });

describe('signed cookie values', () => {
  it('open only with the same secret and purpose, before expiry', () => {
    const value = sealCookieValue(SECRET, 'session', { user: 'ana' }, NOW_MS + 1000);
    expect(openCookieValue(SECRET, 'session', value, NOW_MS)).toEqual({ user: 'ana' });
    expect(openCookieValue(SECRET, 'session', value, NOW_MS + 1000)).toBeUndefined();
    expect(openCookieValue('x'.repeat(40), 'session', value, NOW_MS)).toBeUndefined();
    expect(openCookieValue(SECRET, 'login', value, NOW_MS)).toBeUndefined();
  });

  it('refuse any change to the payload or the signature', () => {
    const value = sealCookieValue(SECRET, 'session', { user: 'ana', groups: ['team-a'] }, NOW_MS + 1000);
    const [payload, sig] = value.split('.');
    const forged = Buffer.from(JSON.stringify({ exp: NOW_MS + 1000, data: { user: 'ana', groups: ['sre'] } })).toString('base64url');
    expect(openCookieValue(SECRET, 'session', `${forged}.${sig}`, NOW_MS)).toBeUndefined();
    expect(openCookieValue(SECRET, 'session', `${payload}.${sig.slice(0, -2)}AA`, NOW_MS)).toBeUndefined();
    expect(openCookieValue(SECRET, 'session', payload, NOW_MS)).toBeUndefined();
    expect(openCookieValue(SECRET, 'session', '', NOW_MS)).toBeUndefined();
  });
});

describe('the session cookie', () => {
  it('is HttpOnly and SameSite=Lax, Secure and __Host- only over https, and lasts the session lifetime', () => {
    const header = sessionSetCookie(OIDC, [], { user: 'ana', groups: ['team-a'] }, NOW_MS);
    expect(header).toMatch(/^hubble-dashboard-session=[\w-]+\.[\w-]+; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax$/);
    const secure = sessionSetCookie({ ...OIDC, secureCookies: true }, [], { user: 'ana', groups: [] }, NOW_MS);
    expect(secure).toMatch(/^__Host-hubble-dashboard-session=.*; Secure$/);
    expect(sessionCookieName(true)).toBe('__Host-hubble-dashboard-session');
  });

  it('reads back until it expires', () => {
    const headers = cookieFrom(sessionSetCookie(OIDC, [], { user: 'ana', groups: ['team-a'] }, NOW_MS));
    expect(readSession(OIDC, headers, NOW_MS + 3_599_000)).toEqual({ user: 'ana', groups: ['team-a'] });
    expect(readSession(OIDC, headers, NOW_MS + 3_600_000)).toBeUndefined();
    expect(readSession({ ...OIDC, sessionSecret: 'z'.repeat(40) }, headers, NOW_MS)).toBeUndefined();
    expect(readSession(OIDC, { cookie: 'hubble-dashboard-session=forged.value' }, NOW_MS)).toBeUndefined();
  });

  it('keeps only the groups HUBBLE_DASHBOARD_ACCESS names when all of them would overflow the cookie', () => {
    const groups = [...Array.from({ length: 400 }, (_, i) => `directory-group-${i}`), 'team-a'];
    const header = sessionSetCookie(OIDC, [{ group: 'team-a', namespaces: ['shop'] }], { user: 'ana', groups }, NOW_MS);
    expect(header.length).toBeLessThan(4000);
    expect(readSession(OIDC, cookieFrom(header), NOW_MS)).toEqual({ user: 'ana', groups: ['team-a'] });
  });
});
