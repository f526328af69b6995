/**
 * Validates the OpenID Connect settings (HUBBLE_DASHBOARD_AUTH=oidc). server/config.ts reads the
 * variables, whose names it spells, and hands them here; every message names the variable.
 * Secrets may come from files so that Kubernetes Secrets can be mounted rather than put in env.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, parseDurationHours } from '../config';

/** The variable names, keyed by what they mean (the literals live in server/config.ts). */
export interface OidcSettingNames {
  issuer: string;
  clientId: string;
  clientSecret: string;
  clientSecretFile: string;
  publicUrl: string;
  scopes: string;
  groupsClaim: string;
  userClaim: string;
  sessionSecret: string;
  sessionSecretFile: string;
  sessionLifetime: string;
  metricsToken: string;
  metricsTokenFile: string;
}

export interface OidcSettings {
  /** Exactly as the provider names itself in discovery and in `iss`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The dashboard's origin as browsers reach it, without a trailing slash. */
  publicUrl: string;
  /** `<publicUrl>/auth/callback`, to be registered at the provider. */
  redirectUri: string;
  scopes: string[];
  groupsClaim: string;
  /** The claim naming the user; `sub` when a token lacks it. */
  userClaim: string;
  /** Signs the session and login cookies (HMAC-SHA256). */
  sessionSecret: string;
  sessionLifetimeMs: number;
  /** Cookies carry Secure when the public URL is https. */
  secureCookies: boolean;
  /** The bearer token Prometheus sends for /metrics (and a detailed /readyz) from beyond loopback. */
  metricsToken?: string;
}

export const DEFAULT_OIDC_SCOPES = 'openid profile email groups';
export const DEFAULT_GROUPS_CLAIM = 'groups';
export const DEFAULT_USER_CLAIM = 'email';
export const DEFAULT_SESSION_LIFETIME = '12h';
/** 32 characters: `openssl rand -base64 32` gives 44; anything shorter is guessable offline. */
export const MIN_SESSION_SECRET_LENGTH = 32;
/**
 * A session cookie cannot be revoked, and the groups in it are those of the sign-in: the lifetime
 * bounds how long a copied cookie works and how stale the groups may get.
 */
export const MAX_SESSION_LIFETIME_HOURS = 7 * 24;
/** Guessed online only, one request at a time, but still far beyond reach. */
export const MIN_METRICS_TOKEN_LENGTH = 16;

type Read = (name: string) => string | undefined;

const LOOPBACK_HOST = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/i;

function httpUrl(name: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name}=${text}: expected an absolute URL such as https://dex.example.com`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname))) {
    throw new ConfigError(`${name}=${text}: expected https:// (plain http only for localhost, in tests)`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(`${name}=${text}: expected no query, fragment or credentials in the URL`);
  }
  return url;
}

/** A secret given directly or as a file (a mounted Secret); exactly one of the two. */
function secret(read: Read, name: string, fileName: string): string | undefined {
  const direct = read(name);
  const file = read(fileName);
  if (direct !== undefined && file !== undefined) throw new ConfigError(`${name} and ${fileName} are both set: use one`);
  if (file === undefined) return direct;
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new ConfigError(`${fileName}=${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (!text) throw new ConfigError(`${fileName}=${file}: the file is empty`);
  return text;
}

function required(value: string | undefined, name: string, what: string): string {
  if (value === undefined) throw new ConfigError(`HUBBLE_DASHBOARD_AUTH=oidc needs ${name}: ${what}`);
  return value;
}

function claimName(name: string, text: string): string {
  if (!/^[\w.:/-]+$/.test(text)) throw new ConfigError(`${name}=${text}: expected a claim name such as groups`);
  return text;
}

/** Reads and checks the OpenID Connect settings; throws ConfigError naming the variable. */
export function parseOidcSettings(read: Read, names: OidcSettingNames): OidcSettings {
  const issuerText = required(read(names.issuer), names.issuer, 'the provider\'s issuer URL, e.g. https://dex.example.com');
  httpUrl(names.issuer, issuerText);
  const clientId = required(read(names.clientId), names.clientId, 'the client id registered at the provider');
  const clientSecret = required(secret(read, names.clientSecret, names.clientSecretFile), `${names.clientSecret} or ${names.clientSecretFile}`, 'the client secret');
  const publicText = required(read(names.publicUrl), names.publicUrl, 'the URL browsers open, e.g. https://hubble.example.com (the redirect URI is <it>/auth/callback)');
  const publicUrl = httpUrl(names.publicUrl, publicText);
  if (publicUrl.pathname !== '/') {
    throw new ConfigError(`${names.publicUrl}=${publicText}: the dashboard is served at the root of its host; expected an origin such as https://hubble.example.com`);
  }
  const sessionSecret = required(secret(read, names.sessionSecret, names.sessionSecretFile), `${names.sessionSecret} or ${names.sessionSecretFile}`, 'a random secret that signs session cookies (openssl rand -base64 32)');
  if (sessionSecret.length < MIN_SESSION_SECRET_LENGTH) {
    const source = read(names.sessionSecretFile) === undefined ? names.sessionSecret : `${names.sessionSecretFile}=${read(names.sessionSecretFile)}`;
    throw new ConfigError(`${source}: ${sessionSecret.length} characters is too short to sign cookies; use at least ${MIN_SESSION_SECRET_LENGTH} (openssl rand -base64 32)`);
  }
  const scopesText = read(names.scopes) ?? DEFAULT_OIDC_SCOPES;
  const scopes = scopesText.split(/[\s,]+/).filter(Boolean);
  if (!scopes.includes('openid')) throw new ConfigError(`${names.scopes}=${scopesText}: must include openid`);
  const lifetimeText = read(names.sessionLifetime) ?? DEFAULT_SESSION_LIFETIME;
  const lifetimeHours = parseDurationHours(names.sessionLifetime, lifetimeText);
  if (lifetimeHours > MAX_SESSION_LIFETIME_HOURS) {
    throw new ConfigError(`${names.sessionLifetime}=${lifetimeText}: at most 7d; a session cannot be revoked (a copied cookie works until it expires) and group changes apply only at the next sign-in`);
  }
  const metricsToken = secret(read, names.metricsToken, names.metricsTokenFile);
  if (metricsToken !== undefined && metricsToken.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new ConfigError(`${read(names.metricsTokenFile) === undefined ? names.metricsToken : names.metricsTokenFile}: ${metricsToken.length} characters is too short for a bearer token; use at least ${MIN_METRICS_TOKEN_LENGTH} (openssl rand -base64 32)`);
  }
  const origin = publicUrl.origin;
  return {
    issuer: issuerText,
    clientId,
    clientSecret,
    publicUrl: origin,
    redirectUri: `${origin}/auth/callback`,
    scopes,
    groupsClaim: claimName(names.groupsClaim, read(names.groupsClaim) ?? DEFAULT_GROUPS_CLAIM),
    userClaim: claimName(names.userClaim, read(names.userClaim) ?? DEFAULT_USER_CLAIM),
    sessionSecret,
    sessionLifetimeMs: Math.round(lifetimeHours * 3_600_000),
    secureCookies: publicUrl.protocol === 'https:',
    ...(metricsToken !== undefined && { metricsToken }),
  };
}
