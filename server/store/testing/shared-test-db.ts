/**
 * For route handler tests: an embedded database holding the given flows, registered as the Db the
 * handlers reach through sharedDb() for the tests of one file.
 */
import { afterAll, beforeAll } from 'vitest';
import type { FlowsResponse } from '../../../lib/flow/flow';
import type { Db } from '../db';
import { createFlowWriter } from '../flow-writer';
import { createPartitionManager } from '../partitions';
import { registerSharedDb } from '../shared-db';
import { openTestPglite, type TestDb } from '../test-db';

export function useSharedTestDb(responses: readonly FlowsResponse[], afterWrite?: () => void): { readonly db: Db } {
  let t: TestDb | undefined;
  let unregister: (() => void) | undefined;
  beforeAll(async () => {
    t = await openTestPglite();
    await createFlowWriter(t.db, { partitions: createPartitionManager(t.db) }).write([...responses]);
    unregister = registerSharedDb(t.db);
    afterWrite?.();
  });
  afterAll(async () => {
    unregister?.();
    await t?.cleanup();
  });
  return {
    get db(): Db {
      if (!t) throw new Error('the shared test database is opened in beforeAll');
      return t.db;
    },
  };
}
