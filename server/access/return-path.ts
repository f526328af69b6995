/**
 * Where to go back to after signing in. Only a path on this dashboard is accepted: anything that a
 * browser could read as another origin (`//evil`, `/\evil`, `https://evil`) would make the sign-in
 * an open redirect, so it falls back to the home page.
 */
const BASE = 'http://dashboard.invalid';
const MAX_LENGTH = 2048;
/**
 * The longest return path a login cookie stores: several sign-ins may be pending at once, and
 * their cookies must stay far below the 8 KB a proxy such as ingress-nginx allows for a header.
 */
export const MAX_STORED_RETURN_PATH = 512;

/** The same-origin path (with query and fragment) to return to, or undefined when `text` is not one. */
export function safeReturnPath(text: string | null | undefined): string | undefined {
  if (!text || text.length > MAX_LENGTH || text[0] !== '/' || text[1] === '/' || text[1] === '\\') return undefined;
  // Browsers treat a backslash as a slash and drop tabs and newlines: reject them outright.
  if (/[\\\u0000-\u001f\u007f]/.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  // Returning to the sign-in routes themselves would loop.
  if (url.pathname === '/auth' || url.pathname.startsWith('/auth/')) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments resolve to an empty first segment ("/.//evil" becomes "//evil"): check the result too.
  if (path.startsWith('//') || path.startsWith('/\\')) return undefined;
  return path;
}

/** A safe return path short enough to store: a long one loses its query, and then falls back to `/`. */
export function storableReturnPath(text: string | null | undefined): string {
  const path = safeReturnPath(text) ?? (text && text.length > MAX_LENGTH ? safeReturnPath(text.split(/[?#]/)[0]) : undefined) ?? '/';
  if (path.length <= MAX_STORED_RETURN_PATH) return path;
  const bare = path.split(/[?#]/)[0];
  return bare.length <= MAX_STORED_RETURN_PATH ? bare : '/';
}
