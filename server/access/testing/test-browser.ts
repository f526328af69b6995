/**
 * Just enough of a browser for sign-in tests over fetch: a cookie jar (name, path, Max-Age) and
 * manual redirects, so every hop of the OpenID Connect dance is visible and checked. Test code only.
 */

interface StoredCookie {
  value: string;
  path: string;
}

/** What a browser sends when the address bar, a link or a redirect loads a page. */
export const NAVIGATION_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document',
};

export interface Hop {
  url: string;
  status: number;
  location?: string;
}

export class TestBrowser {
  private readonly cookies = new Map<string, StoredCookie>();
  /** Every request of the last `visit`, in order. */
  hops: Hop[] = [];

  /** Keeps what Set-Cookie says; like browsers, ignores the port (provider and dashboard share 127.0.0.1). */
  remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const maxAge = attrs.find((a) => /^max-age=/i.test(a))?.slice(8);
      if (maxAge !== undefined && Number(maxAge) <= 0) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair.slice(eq + 1), path });
    }
  }

  cookieHeader(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies].filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map(([name, c]) => `${name}=${c.value}`).join('; ');
  }

  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, { value, path: '/' });
  }

  /** One request, without following redirects. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.remember(res);
    return res;
  }

  /** GETs `url` and follows redirects (at most `maxHops`), as a browser's address bar does. */
  async visit(url: string, maxHops = 10, headers: Record<string, string> = {}): Promise<Response> {
    this.hops = [];
    let next = url;
    for (let i = 0; i <= maxHops; i++) {
      const res = await this.fetch(next, { headers: { ...NAVIGATION_HEADERS, ...headers } });
      const location = res.headers.get('location') ?? undefined;
      this.hops.push({ url: next, status: res.status, location });
      if (res.status < 300 || res.status > 399 || !location) return res;
      await res.arrayBuffer();
      next = new URL(location, next).toString();
    }
    throw new Error(`more than ${maxHops} redirects from ${url}: ${this.hops.map((h) => h.url).join(' → ')}`);
  }
}
