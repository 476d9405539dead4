import type { LoomMigration } from './loom-migration.js';

/**
 * The usage report (`GET /api/usage`, `loom usage`) reads a time window of every subject's calls:
 * an index on `at` keeps it to that window instead of the whole table. One more index entry per
 * metered call, written off the request path (the batching ledger, SQLite's writer thread).
 */
export const usageEventsAt: LoomMigration = {
  async up(db) {
    await db.schema.createIndex('usage_events_at').on('usage_events').columns(['at']).execute();
  },
};
