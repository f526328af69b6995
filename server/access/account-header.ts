/**
 * Tells pages that the dashboard itself signed the viewer in (oidc mode), so the header can offer
 * "Sign out". Like the viewer, it travels in a request header the guard strips from what clients
 * send and sets itself; in proxy mode signing out is the proxy's business, so it is never set.
 */
import { viewerOfHeaders } from './viewer-header';

export const SIGN_OUT_HEADER = 'x-hubble-dashboard-sign-out';
export const SIGN_OUT_PATH = '/auth/logout';

export interface SignedInAccount {
  user: string;
  signOutPath: string;
}

/** Who signed in with the dashboard's own sign-in, and where to sign out; undefined otherwise. */
export function signedInAccountOf(headers: Pick<Headers, 'get'>): SignedInAccount | undefined {
  const signOutPath = headers.get(SIGN_OUT_HEADER);
  const { user } = viewerOfHeaders(headers);
  return signOutPath === SIGN_OUT_PATH && user ? { user, signOutPath } : undefined;
}
