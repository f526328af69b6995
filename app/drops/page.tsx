import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DropsInbox } from '../../components/drops/drops-inbox';

export const metadata: Metadata = { title: 'Drops · Hubble Flow Dashboard' };

export default function DropsPage() {
  return (
    <>
      <h1>Drops</h1>
      {/* useSearchParams renders on the client only; the fallback is what the server sends. */}
      <Suspense fallback={<p className="muted">Loading drop groups…</p>}>
        <DropsInbox />
      </Suspense>
    </>
  );
}
