'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiRequestError } from '../api/api-request';

/** Whether a query failed because the request was not signed in. */
export function isSignedOutError(error: unknown): boolean {
  return error instanceof ApiRequestError && error.status === 401;
}

/**
 * A banner once any query is answered 401: the sign-in ran out while the page stayed open, so what
 * it shows has stopped updating. Reloading the page signs in again (the dashboard's own sign-in, or
 * the authenticating proxy's) and comes back to the same view, which lives in the URL.
 */
export function SessionEnded() {
  const client = useQueryClient();
  const [ended, setEnded] = useState(false);
  useEffect(() => client.getQueryCache().subscribe((event) => {
    if (event.type === 'updated' && event.action.type === 'error' && isSignedOutError(event.action.error)) setEnded(true);
  }), [client]);
  if (!ended) return null;
  return (
    <div role="alert" className="warn-line session-ended">
      You are no longer signed in, so this page has stopped updating.{' '}
      <a href={`${window.location.pathname}${window.location.search}`}>Reload to sign in again</a>
    </div>
  );
}
