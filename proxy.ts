/**
 * Runs before every page: a fresh nonce and the Content Security Policy built with it, on the
 * response for the browser and on the request so Next.js stamps the nonce on its own scripts.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy } from './lib/security/content-security-policy';

export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
}

export const config = {
  // Pages only: API answers are JSON or downloads, and static assets carry no markup of ours.
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon.ico).*)' }],
};
