/**
 * The few pages the guard answers itself (sign-in failures, "signed out", "no namespace", "sign
 * out?"): plain HTML with everything escaped, no script, never cached, never leaking the
 * callback's code through a Referer header. No stack trace or provider secret ever reaches them.
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
  /**
   * One button that POSTs to a path of this dashboard (no script: the CSP allows none).
   * `redirectsTo`: the origin its answer may redirect to, since form-action also governs redirects.
   */
  form?: { action: string; button: string; redirectsTo?: string };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function sendAuthPage(res: ServerResponse, status: number, page: AuthPage): void {
  const links = (page.links ?? []).map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a>`).join(' · ');
  const form = page.form && `<form method="post" action="${escapeHtml(page.form.action)}"><button type="submit">${escapeHtml(page.form.button)}</button></form>`;
  const body = [
    '<!doctype html>', '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(page.title)} · Hubble Flow Dashboard</title>`,
    '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}</style>',
    '</head><body>', `<h1>${escapeHtml(page.title)}</h1>`, `<p>${escapeHtml(page.message)}</p>`,
    form ?? '', links ? `<p>${links}</p>` : '', '</body></html>', '',
  ].join('\n');
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  const formAction = page.form ? ["'self'", ...(page.form.redirectsTo ? [new URL(page.form.redirectsTo).origin] : [])].join(' ') : "'none'";
  res.setHeader('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'`);
  // A form's POST must carry this origin in its Origin header, which no-referrer would blank.
  res.setHeader('referrer-policy', form ? 'same-origin' : 'no-referrer');
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
