import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServiceMapView } from '../../components/service-map/service-map-view';

export const metadata: Metadata = { title: 'Service map · Hubble Flow Dashboard' };

export default function MapPage() {
  return (
    <>
      <h1>Service map</h1>
      {/* useSearchParams renders on the client only; the fallback is what the server sends. */}
      <Suspense fallback={<p className="muted">Loading the map…</p>}>
        <ServiceMapView />
      </Suspense>
    </>
  );
}
