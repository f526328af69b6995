import type { Metadata } from 'next';
import { Suspense } from 'react';
import { FlowsView } from '../../components/flows-table/flows-view';

export const metadata: Metadata = { title: 'Flows · Hubble Flow Dashboard' };

export default function FlowsPage() {
  return (
    <>
      <h1>Flows</h1>
      {/* useSearchParams renders on the client only; the fallback is what the server sends. */}
      <Suspense fallback={<p className="muted">Loading flows…</p>}>
        <FlowsView />
      </Suspense>
    </>
  );
}
