import type { LoomMigration } from './loom-migration.js';
import { columnTypes } from './column-types.js';

/** LLM proxy metering (one row per proxied model call) and revoked proxy tokens. */
export const proxyUsageAndRevocations: LoomMigration = {
  async up(db, dialect) {
    const types = columnTypes(dialect);
    await db.schema
      .createTable('usage_events')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('at', types.timestamp, (column) => column.notNull())
      .addColumn('subject', 'text', (column) => column.notNull())
      .addColumn('token_id', 'text', (column) => column.notNull())
      .addColumn('job_id', 'text')
      .addColumn('provider', 'text', (column) => column.notNull())
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('route', 'text', (column) => column.notNull())
      .addColumn('input_tokens', 'integer', (column) => column.notNull())
      .addColumn('output_tokens', 'integer', (column) => column.notNull())
      // `double precision` is REAL affinity in SQLite and float8 in PostgreSQL: the same name serves both.
      .addColumn('cost_usd', 'double precision', (column) => column.notNull())
      .addColumn('latency_ms', 'integer', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('http_status', 'integer', (column) => column.notNull())
      .addColumn('error_code', 'text')
      .execute();
    // The budget check sums a token's spend before every call: a covering index answers it from the index alone.
    await db.schema
      .createIndex('usage_events_token_id_cost')
      .on('usage_events')
      .columns(['token_id', 'cost_usd'])
      .execute();
    await db.schema
      .createIndex('usage_events_subject_at')
      .on('usage_events')
      .columns(['subject', 'at'])
      .execute();

    await db.schema
      .createTable('revoked_tokens')
      .addColumn('jti', 'text', (column) => column.primaryKey())
      .addColumn('expires_at', types.timestamp, (column) => column.notNull())
      .addColumn('revoked_at', types.timestamp, (column) => column.notNull())
      .execute();
  },
};
