/**
 * The service map a `map` investigation keeps when the client sent none: drawn once, at creation,
 * by the same code as GET /api/service-map, for the frozen window and the view's scope (namespaces,
 * cluster, hidden noise). Stored with the investigation, it is what the link shows from then on.
 */
import type { MapInvestigationView } from '../../../lib/api/investigation-view';
import type { InvestigationDraft } from '../../../lib/api/investigations';
import { parseServiceMapQuery, serviceMapUrl, type ServiceMapResponse } from '../../../lib/api/service-map';
import type { Db } from '../../../server/store/db';
import { readServiceMap, ServiceMapRefusal } from '../../../server/store/service-map';

export type MapSnapshotResult = { ok: true; map: ServiceMapResponse } | { ok: false; status: 400 | 503; error: string };

/** Draws the map of a draft; a refusal (a filter the rollups cannot answer over this range) comes back as the map API words it. */
export async function drawMapSnapshot(db: Db, draft: InvestigationDraft, nowMs: number): Promise<MapSnapshotResult> {
  const view = draft.view as MapInvestigationView;
  const url = serviceMapUrl({
    q: draft.q, since: draft.since, until: draft.until, namespaces: view.namespaces, hide: view.hide, ...(view.cluster ? { clusters: [view.cluster] } : {}),
  });
  const parsed = parseServiceMapQuery(new URL(url, 'http://localhost').searchParams, nowMs);
  if (!parsed.ok) return { ok: false, status: 400, error: `map: ${parsed.error}` };
  try {
    return { ok: true, map: await readServiceMap(db, parsed.query, { nowMs }) };
  } catch (err) {
    if (err instanceof ServiceMapRefusal) return { ok: false, status: err.status, error: `map: ${err.message}` };
    throw err;
  }
}
