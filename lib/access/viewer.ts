/** Who is looking, as the access layer established it. */
import type { NamespaceScope } from './namespace-scope';

export interface Viewer {
  /** The user the authenticating proxy named; null when access control is off. */
  user: string | null;
  groups: string[];
  /** The namespaces whose flows this viewer may see (a flow is visible when either side is in one). */
  namespaces: NamespaceScope;
}

/** The viewer when access control is off: everything is visible. */
export const UNRESTRICTED_VIEWER: Viewer = { user: null, groups: [], namespaces: '*' };
