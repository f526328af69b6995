import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { InvestigationView } from '../../../components/investigations/investigation-view';
import { parseInvestigationId } from '../../../lib/api/investigations';
import { mayOpenInvestigation } from '../../../server/access/investigation-access';
import { viewerOfHeaders } from '../../../server/access/viewer-header';
import { readInvestigation } from '../../../server/store/investigations';
import { sharedDb } from '../../../server/store/shared-db';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface PageProps { params: Promise<{ id: string }> }

// The metadata and the page ask for the same investigation: one read per request. A viewer who
// cannot see every namespace its creator could is told it does not exist.
const readOnce = cache(async (id: string) => {
  const db = await sharedDb();
  if (!(await mayOpenInvestigation(db, id, viewerOfHeaders(await headers()).namespaces))) return undefined;
  return readInvestigation(db, id);
});

async function load(params: PageProps['params']) {
  const id = parseInvestigationId((await params).id);
  return id ? readOnce(id) : undefined;
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const detail = await load(params);
  return { title: detail ? `${detail.title} · Investigation` : 'Investigation not found' };
}

/** /i/<id>: a frozen view, drawn from what the investigation stored, whatever has happened since. */
export default async function InvestigationPage({ params }: PageProps) {
  const detail = await load(params);
  if (!detail) notFound();
  return <InvestigationView detail={detail} />;
}
