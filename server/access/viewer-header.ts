/**
 * The viewer travels from the HTTP front (server/access/access-guard.ts) to route handlers in a
 * request header that the guard always removes from what clients send and sets itself. Next
 * bundles route handlers apart from the server, so the guard's mode is kept on globalThis.
 */
import { UNRESTRICTED_VIEWER, type Viewer } from '../../lib/access/viewer';

export const VIEWER_HEADER = 'x-hubble-dashboard-viewer';

const KEY = Symbol.for('hubble-dashboard.access-required');

/** Called by the guard when access control is on: from then on a request without a viewer sees nothing. */
export function requireViewerHeader(): void {
  (globalThis as { [KEY]?: boolean })[KEY] = true;
}

export function viewerToHeader(viewer: Viewer): string {
  return encodeURIComponent(JSON.stringify(viewer));
}

/** The request's viewer; unrestricted when no guard requires one (access control off, or a test). */
export function viewerOf(request: Request): Viewer {
  return viewerOfHeaders(request.headers);
}

/** The viewer from request headers (server components read them with next/headers). */
export function viewerOfHeaders(headers: Pick<Headers, 'get'>): Viewer {
  const text = headers.get(VIEWER_HEADER);
  if (text) {
    try {
      const v = JSON.parse(decodeURIComponent(text)) as Viewer;
      return { user: v.user, groups: v.groups, namespaces: v.namespaces };
    } catch {
      return { user: null, groups: [], namespaces: [] };
    }
  }
  if ((globalThis as { [KEY]?: boolean })[KEY]) return { user: null, groups: [], namespaces: [] };
  return UNRESTRICTED_VIEWER;
}
