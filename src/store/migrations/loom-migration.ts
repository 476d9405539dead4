import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store-dialect.js';

/**
 * One schema change. `up` receives the dialect so a migration can differ where SQL differs (column
 * types, full-text search). Migrations only go forward: there is no `down`; a mistake is fixed by a
 * new migration. They must not open transactions of their own: the runner already holds one (or a
 * lock) around the whole batch.
 */
export interface LoomMigration {
  up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void>;
}
