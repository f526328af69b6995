import type { Metadata } from 'next';
import { Suspense } from 'react';
import { DropGroupView } from '../../../components/drops/drop-group-view';

export const metadata: Metadata = { title: 'Drop group · Hubble Flow Dashboard' };

export default function DropGroupPage() {
  return (
    <Suspense fallback={<p className="muted">Loading drop group…</p>}>
      <DropGroupView />
    </Suspense>
  );
}
