import { Suspense } from 'react';
import { TriagePage } from '../components/triage/triage-page';

/** The home page is the on-call triage: the data is read and refreshed in the browser. */
export default function HomePage() {
  return (
    // useSearchParams (the picked clusters) renders on the client only; the fallback is what the server sends.
    <Suspense fallback={<p className="muted">Loading the triage…</p>}>
      <TriagePage />
    </Suspense>
  );
}
