/**
 * An investigation's frozen flows as a download, oldest first: the stored jsonpb lines exactly as
 * `hubble observe -o jsonpb` printed them, or CSV (lib/export/flows-csv.ts, formula-like cells
 * neutralized). Read through a server-side cursor in batches, so memory stays bounded by a batch.
 */
import type { FlowsResponse } from '../../lib/flow/flow';
import { flowToCsvRecord, flowsCsvHeader } from '../../lib/export/flows-csv';
import { logger } from '../log/logger';
import type { Db } from './db';

const log = logger('investigations');

/** Rows per round trip of an export. */
export const INVESTIGATION_EXPORT_BATCH_SIZE = 2_000;

export interface InvestigationExportOptions {
  /** Stops the export between batches (the client went away). */
  signal?: AbortSignal;
  batchSize?: number;
}

const ROWS_SQL = 'SELECT raw FROM investigation_flows WHERE investigation_id = $1 ORDER BY time, flow_key';

function csvRecordOf(raw: string, id: string): string {
  try {
    const response = JSON.parse(raw) as FlowsResponse;
    return response.flow ? flowToCsvRecord(response.flow, response.node_name) : '';
  } catch (err) {
    log.warn({ err, id }, 'frozen flow line not readable; left out of the CSV');
    return '';
  }
}

/**
 * The frozen flows of investigation `id`, oldest first, as text chunks (one per batch): jsonpb
 * lines each ending in `\n`, or CSV records after a header. An unknown id gives the empty export
 * (and CSV its header): callers check that the investigation exists first.
 */
export function streamInvestigationFlows(db: Db, id: string, format: 'jsonpb' | 'csv', opts: InvestigationExportOptions = {}): AsyncIterable<string> {
  const batchSize = opts.batchSize ?? INVESTIGATION_EXPORT_BATCH_SIZE;
  return (async function* chunks() {
    if (format === 'csv') yield flowsCsvHeader();
    if (opts.signal?.aborted) return;
    for await (const rows of db.stream<{ raw: string }>(ROWS_SQL, [id], batchSize)) {
      if (opts.signal?.aborted) return;
      let chunk = '';
      for (const row of rows) chunk += format === 'csv' ? csvRecordOf(row.raw, id) : `${row.raw}\n`;
      yield chunk;
    }
  })();
}
