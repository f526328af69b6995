import type { Metadata } from 'next';
import Link from 'next/link';
import { InvestigationList } from '../../components/investigations/investigation-list';

export const metadata: Metadata = { title: 'Investigations · Hubble Flow Dashboard' };

export default function InvestigationsPage() {
  return (
    <>
      <h1>Investigations</h1>
      <p className="muted">Frozen views with their own copy of the flows: their links keep working after retention has removed the originals.</p>
      <p><Link href="/investigations/new">Freeze flows by filter…</Link></p>
      <InvestigationList />
    </>
  );
}
