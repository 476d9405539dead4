import { sql } from 'kysely';
import type { LoomMigration } from './loom-migration.js';

/**
 * Running spend per token and per subject, kept in the same transaction as the usage events. A
 * budget check was a SUM over the token's whole history (index-only, but still one entry per call,
 * so it grew with every call a long-lived token made); it is now one primary-key read. Existing
 * events are summed in once. The index that covered that SUM gives way to one that serves listing a
 * token's events in time order.
 */
export const usageSpendTotals: LoomMigration = {
  async up(db) {
    await db.schema
      .createTable('usage_spend')
      .addColumn('scope', 'text', (column) => column.notNull())
      .addColumn('scope_id', 'text', (column) => column.notNull())
      .addColumn('spent_usd', 'double precision', (column) => column.notNull())
      .addPrimaryKeyConstraint('usage_spend_pk', ['scope', 'scope_id'])
      .execute();
    await sql`insert into usage_spend (scope, scope_id, spent_usd)
      select 'token', token_id, sum(cost_usd) from usage_events group by token_id`.execute(db);
    await sql`insert into usage_spend (scope, scope_id, spent_usd)
      select 'subject', subject, sum(cost_usd) from usage_events group by subject`.execute(db);
    await db.schema.dropIndex('usage_events_token_id_cost').execute();
    await db.schema
      .createIndex('usage_events_token_id_at')
      .on('usage_events')
      .columns(['token_id', 'at'])
      .execute();
  },
};
