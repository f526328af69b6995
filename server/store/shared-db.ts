/**
 * The process-wide Db for Next's route handlers. Next bundles route handlers separately from the
 * server that opened the database (server/main.ts), so each would get its own module instance; the
 * one Db is kept on globalThis under a registered symbol so they meet. PGlite in particular must
 * never be opened twice on one data folder, so main registers the Db it opened before Next starts,
 * and only a process without main (e.g. `next dev` on its own) opens one here, once.
 */
import { loadConfig } from '../config';
import type { Db } from './db';
import { openDb } from './open-db';

const KEY = Symbol.for('hubble-dashboard.shared-db');

type Slot = { [KEY]?: Promise<Db> };
const slot = () => globalThis as Slot;

/** Makes `db` the one sharedDb() answers; returns the function that forgets it again (on close). */
export function registerSharedDb(db: Db): () => void {
  const registered = Promise.resolve(db);
  slot()[KEY] = registered;
  return () => {
    if (slot()[KEY] === registered) delete slot()[KEY];
  };
}

/** The process's Db: the registered one, else opened (and migrated) once from loadConfig(). */
export function sharedDb(): Promise<Db> {
  const g = slot();
  if (!g[KEY]) {
    const opening = openDb(loadConfig());
    g[KEY] = opening;
    // A failed open (database down) is retried by the next request instead of being remembered.
    opening.catch(() => {
      if (g[KEY] === opening) delete g[KEY];
    });
  }
  return g[KEY];
}
