/**
 * Applies prisma/migrations/<name>/migration.sql in name order, keeping Prisma's own bookkeeping
 * table `_prisma_migrations`, so `prisma migrate status` and this runner agree about what ran.
 * Prisma's migrate engine is a native download that offline machines cannot fetch, and it cannot
 * drive embedded PGlite; this runner works on both.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root';
import { logger } from '../log/logger';
import type { Db } from './db';

const log = logger('migrate');

/** Serializes concurrent start-ups (collector and web processes) on the same database. */
const ADVISORY_LOCK_KEY = 4_245_000_001;

export const MIGRATIONS_DIR = join(projectRoot, 'prisma', 'migrations');

const BOOKKEEPING_SQL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface Migration { name: string; sql: string; checksum: string }

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(/* turbopackIgnore: true */ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Brings the database up to date; returns the names of the migrations it applied. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = listMigrations(dir);
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEY]);
    await tx.query(BOOKKEEPING_SQL);
    const done = await tx.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Map(done.map((r) => [r.migration_name, r.checksum]));
    const ran: string[] = [];
    for (const m of migrations) {
      const previous = applied.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) log.warn({ migration: m.name }, 'migration file changed after it was applied; not re-applied');
        continue;
      }
      await tx.query(m.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), m.checksum, m.name],
      );
      ran.push(m.name);
      log.info({ migration: m.name }, 'applied migration');
    }
    return ran;
  });
}
