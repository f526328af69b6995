/**
 * The Content Security Policy of every page. Scripts run only from this origin or with the
 * request's nonce (Next.js puts it on its own inline bootstrap scripts), so text from a flow that
 * ever reached the page as markup still could not execute. Inline style attributes stay allowed:
 * React and d3 set geometry through them, and a style cannot run code.
 */

/** The policy for one response; `nonce` must be fresh and unpredictable per request. */
export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}): string {
  const directives = [
    `default-src 'self'`,
    // React's development build needs eval for its error overlays; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' blob: data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ];
  return directives.join('; ');
}
