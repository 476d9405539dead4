import type { LoomMigration } from './loom-migration.js';
import { columnTypes } from './column-types.js';

/**
 * Chores as code: the chores each repository's `.loom/chores.yml` declares (as last synced), every
 * chore run with its outcome, and the "Loom chores" dashboard issue of each repository.
 */
export const chores: LoomMigration = {
  async up(db, dialect) {
    const types = columnTypes(dialect);
    await db.schema
      .createTable('chores')
      .addColumn('repository', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('installation_id', 'bigint', (column) => column.notNull())
      .addColumn('schedule', 'text', (column) => column.notNull())
      .addColumn('timezone', 'text')
      .addColumn('prompt', 'text', (column) => column.notNull())
      .addColumn('budget_usd', 'double precision')
      .addColumn('labels', types.json, (column) => column.notNull())
      .addColumn('reviewers', types.json, (column) => column.notNull())
      .addColumn('slack_channel', 'text')
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .addPrimaryKeyConstraint('chores_pk', ['repository', 'name'])
      .execute();

    await db.schema
      .createTable('chore_runs')
      .addColumn('run_id', 'text', (column) => column.primaryKey())
      .addColumn('job_id', 'text', (column) => column.notNull())
      .addColumn('repository', 'text', (column) => column.notNull())
      .addColumn('chore_name', 'text', (column) => column.notNull())
      .addColumn('trigger', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('reason', 'text')
      .addColumn('pull_request_url', 'text')
      .addColumn('pull_request_number', 'integer')
      .addColumn('cost_usd', 'double precision', (column) => column.notNull().defaultTo(0))
      .addColumn('turns', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .addColumn('started_at', types.timestamp)
      .addColumn('finished_at', types.timestamp)
      .execute();
    await db.schema
      .createIndex('chore_runs_by_chore')
      .on('chore_runs')
      .columns(['repository', 'chore_name', 'created_at'])
      .execute();

    await db.schema
      .createTable('chore_dashboards')
      .addColumn('repository', 'text', (column) => column.primaryKey())
      .addColumn('issue_number', 'integer', (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .execute();
  },
};
