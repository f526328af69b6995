/**
 * Who may open an investigation: a viewer who can see every namespace its creator could. Anyone
 * else is told it does not exist, so links cannot be probed for what they hold.
 */
import type { NamespaceScope } from '../../lib/access/namespace-scope';
import { scopeCovers } from '../../lib/access/scope-text';
import type { Db } from '../store/db';
import { investigationScope } from '../store/investigations';

export async function mayOpenInvestigation(db: Db, id: string, viewer: NamespaceScope): Promise<boolean> {
  const creator = await investigationScope(db, id);
  return creator !== undefined && scopeCovers(viewer, creator);
}
