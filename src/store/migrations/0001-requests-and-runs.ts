import type { LoomMigration } from './loom-migration.js';
import { columnTypes } from './column-types.js';

/** The request ledger (deduplication by delivery id) and the runs of jobs. */
export const requestsAndRuns: LoomMigration = {
  async up(db, dialect) {
    const types = columnTypes(dialect);
    await db.schema
      .createTable('requests')
      .addColumn('delivery_id', 'text', (column) => column.primaryKey())
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('job_id', 'text')
      .addColumn('reason', 'text')
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .execute();
    // The outbox query: requests still `received` and older than a date.
    await db.schema
      .createIndex('requests_status_created_at')
      .on('requests')
      .columns(['status', 'created_at'])
      .execute();

    await db.schema
      .createTable('runs')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('job_id', 'text', (column) => column.notNull().unique())
      .addColumn('job_name', 'text', (column) => column.notNull())
      .addColumn('delivery_id', 'text')
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('progress', types.json, (column) => column.notNull())
      .addColumn('result', types.json)
      .addColumn('error', 'text')
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .addColumn('started_at', types.timestamp)
      .addColumn('finished_at', types.timestamp)
      .execute();
    await db.schema
      .createIndex('runs_status_created_at')
      .on('runs')
      .columns(['status', 'created_at'])
      .execute();
  },
};
