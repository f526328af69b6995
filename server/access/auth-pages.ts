/**
 * The few pages the guard answers itself (sign-in failures, "signed out", "no namespace"): plain
 * HTML with everything escaped, no script, never cached, never leaking the callback's code through
 * a Referer header. No stack trace or provider secret ever reaches them.
 */
import type { ServerResponse } from 'node:http';

export interface PageLink {
  href: string;
  text: string;
}

export interface AuthPage {
  title: string;
  message: string;
  links?: PageLink[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sendAuthPage(res: ServerResponse, status: number, page: AuthPage): void {
  const links = (page.links ?? []).map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`).join(' · ');
  const body = [
    '<!doctype html>', '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(page.title)} · Hubble Flow Dashboard</title>`,
    '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}</style>',
    '</head><body>', `<h1>${escapeHtml(page.title)}</h1>`, `<p>${escapeHtml(page.message)}</p>`,
    links ? `<p>${links}</p>` : '', '</body></html>', '',
  ].join('\n');
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'");
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(body);
}

/** A redirect that is never cached (it depends on cookies). */
export function sendRedirect(res: ServerResponse, location: string): void {
  res.statusCode = 302;
  res.setHeader('location', location);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('referrer-policy', 'no-referrer');
  res.end();
}
