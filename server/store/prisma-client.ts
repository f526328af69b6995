/**
 * Prisma for ordinary reads and writes (investigations, state rows); the hot ingest path uses COPY
 * through Db instead. On PostgreSQL Prisma keeps its own small pool; on PGlite it shares the one
 * connection (the adapter's transactions take PGlite's transaction mutex like ours do).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/client';
import type { Db } from './db';
import { connectionStringOf } from './open-db';
import { pgliteOf } from './pglite-db';

export { PrismaClient };

export interface PrismaConnection {
  connectionString: string;
  /** Schema Prisma qualifies table names with; by default the connection string's search_path, else public. */
  schema?: string;
  /** Size of Prisma's own pool. */
  maxConnections?: number;
}

/** The first schema of `options=-c search_path=...` in a connection string, if it sets one. */
export function searchPathSchema(connectionString: string): string | undefined {
  let options: string | null = null;
  try {
    options = new URL(connectionString).searchParams.get('options');
  } catch {
    return undefined;
  }
  const m = /search_path\s*=\s*"?([^\s,"]+)/.exec(options ?? '');
  return m?.[1];
}

function pgAdapter(conn: PrismaConnection): PrismaPg {
  return new PrismaPg(
    { connectionString: conn.connectionString, max: conn.maxConnections ?? 4, application_name: 'hubble-dashboard-prisma' },
    { schema: conn.schema ?? searchPathSchema(conn.connectionString) },
  );
}

/**
 * A PrismaClient over a Db opened by openDb / openPgliteDb, or over an explicit PostgreSQL
 * connection. Disconnect it ($disconnect) before closing a PGlite Db.
 */
export function createPrismaClient(target: Db | PrismaConnection): PrismaClient {
  if ('connectionString' in target) return new PrismaClient({ adapter: pgAdapter(target) });
  const pglite = pgliteOf(target);
  if (pglite) return new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const connectionString = connectionStringOf(target);
  if (connectionString) return new PrismaClient({ adapter: pgAdapter({ connectionString }) });
  throw new Error('createPrismaClient: this PostgreSQL Db was not opened by openDb; pass { connectionString } instead');
}
