import type { LoomMigration } from './loom-migration.js';

/**
 * The prompt-cached share of each metered call's input: tokens read from the provider's cache and
 * written to it, both parts of `input_tokens`. The cost was already priced with them; keeping them
 * lets the usage report show how much of the input the cache served. Calls metered before this
 * migration read as uncached (0), which is what the report could say of them anyway.
 */
export const usageCacheTokens: LoomMigration = {
  async up(db) {
    for (const column of ['cache_read_tokens', 'cache_write_tokens']) {
      await db.schema
        .alterTable('usage_events')
        .addColumn(column, 'integer', (definition) => definition.notNull().defaultTo(0))
        .execute();
    }
  },
};
