import type { LoomMigration } from './loom-migration.js';
import { columnTypes } from './column-types.js';

/**
 * The Slack app's state: channel default repositories (`@loom use owner/repo`), the Slack threads
 * Loom is part of, and what each run's reporter has posted.
 */
export const slackState: LoomMigration = {
  async up(db, dialect) {
    const types = columnTypes(dialect);
    await db.schema
      .createTable('slack_channel_repositories')
      .addColumn('team_id', 'text', (column) => column.notNull())
      .addColumn('channel_id', 'text', (column) => column.notNull())
      .addColumn('repository', 'text', (column) => column.notNull())
      .addColumn('set_by', 'text', (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .addPrimaryKeyConstraint('slack_channel_repositories_pk', ['team_id', 'channel_id'])
      .execute();

    await db.schema
      .createTable('slack_threads')
      .addColumn('team_id', 'text', (column) => column.notNull())
      .addColumn('channel_id', 'text', (column) => column.notNull())
      .addColumn('thread_ts', 'text', (column) => column.notNull())
      .addColumn('repository', 'text')
      .addColumn('pending_prompt', 'text')
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .addPrimaryKeyConstraint('slack_threads_pk', ['team_id', 'channel_id', 'thread_ts'])
      .execute();

    await db.schema
      .createTable('slack_reports')
      .addColumn('report_key', 'text', (column) => column.primaryKey())
      .addColumn('state', types.json, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .execute();
  },
};
