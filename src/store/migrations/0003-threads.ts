import { sql } from 'kysely';
import type { LoomMigration } from './loom-migration.js';
import { columnTypes } from './column-types.js';

/**
 * Threads (conversations), their messages, the sources that lead to them (Slack thread, issue, PR,
 * chore) and the full-text search documents: one per message plus one per thread (title, branch,
 * commits, sources). Search differs per dialect: an FTS5 table in SQLite, a tsvector column with a GIN
 * index in PostgreSQL. The terms are produced by Loom's own tokenizer (src/threads/search-terms.ts) on
 * both, so the SQLite tokenizer only has to split on the spaces between them: unicode61 with the four
 * joiners as token characters keeps `feature/x` and `src/math.js` whole.
 */
export const threads: LoomMigration = {
  async up(db, dialect) {
    const types = columnTypes(dialect);
    await db.schema
      .createTable('threads')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('version', 'integer', (column) => column.notNull())
      .addColumn('title', 'text', (column) => column.notNull())
      .addColumn('owner', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('visibility', 'text', (column) => column.notNull())
      .addColumn('repository', 'text')
      .addColumn('sources', types.json, (column) => column.notNull())
      .addColumn('git', types.json, (column) => column.notNull())
      .addColumn('agent_state', types.json, (column) => column.notNull())
      .addColumn('cost_usd', 'double precision', (column) => column.notNull())
      .addColumn('turns', 'integer', (column) => column.notNull())
      .addColumn('run_ids', types.json, (column) => column.notNull())
      .addColumn('message_count', 'integer', (column) => column.notNull())
      .addColumn('last_write_id', 'text')
      .addColumn('synced_version', 'integer')
      .addColumn('remote_version', 'integer')
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addColumn('updated_at', types.timestamp, (column) => column.notNull())
      .addColumn('deleted_at', types.timestamp)
      .execute();
    for (const [name, columns] of [
      ['threads_updated_at', ['updated_at', 'id']],
      ['threads_owner_updated_at', ['owner', 'updated_at']],
      ['threads_repository_updated_at', ['repository', 'updated_at']],
    ] as const) {
      await db.schema
        .createIndex(name)
        .on('threads')
        .columns([...columns])
        .execute();
    }

    await db.schema
      .createTable('thread_messages')
      .addColumn('thread_id', 'text', (column) => column.notNull().references('threads.id'))
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('content', 'text', (column) => column.notNull())
      .addColumn('tool_calls', types.json)
      .addColumn('tool_call_id', 'text')
      .addColumn('is_error', 'integer', (column) => column.notNull())
      .addColumn('run_id', 'text')
      // The write that appended the message: lets a retried append see that it already landed.
      .addColumn('write_id', 'text')
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .addPrimaryKeyConstraint('thread_messages_pk', ['thread_id', 'seq'])
      .execute();

    // One row per source key: the database keeps a Slack thread / issue / PR on one thread.
    await db.schema
      .createIndex('thread_messages_write_id')
      .on('thread_messages')
      .columns(['thread_id', 'write_id'])
      .execute();

    await db.schema
      .createTable('thread_sources')
      .addColumn('source_key', 'text', (column) => column.primaryKey())
      .addColumn('thread_id', 'text', (column) => column.notNull().references('threads.id'))
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('created_at', types.timestamp, (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('thread_sources_thread_id_kind')
      .on('thread_sources')
      .columns(['thread_id', 'kind'])
      .execute();

    await createSearchDocuments(db, dialect);
  },
};

async function createSearchDocuments(
  db: Parameters<LoomMigration['up']>[0],
  dialect: Parameters<LoomMigration['up']>[1],
): Promise<void> {
  let documents = db.schema
    .createTable('thread_search_documents')
    .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (column) =>
      dialect === 'postgres' ? column.generatedAlwaysAsIdentity().primaryKey() : column.primaryKey(),
    )
    .addColumn('thread_id', 'text', (column) => column.notNull())
    // Null for the thread's own document (title, branch, commits, sources).
    .addColumn('message_seq', 'integer');
  if (dialect === 'postgres') documents = documents.addColumn('vector', sql`tsvector`, (c) => c.notNull());
  await documents.execute();
  await db.schema
    .createIndex('thread_search_documents_thread_id')
    .on('thread_search_documents')
    .columns(['thread_id', 'message_seq'])
    .execute();

  if (dialect === 'postgres') {
    await db.schema
      .createIndex('thread_search_documents_vector')
      .on('thread_search_documents')
      .using('gin')
      .column('vector')
      .execute();
    return;
  }
  // Contentless (the text lives in thread_messages), with deletes; rowid = thread_search_documents.id.
  // Prefix indexes of 2 and 3 characters make short `abc*` queries cheap; longer prefixes (commit
  // SHAs) are range scans over the sorted terms.
  await sql`
    create virtual table thread_search_fts using fts5(
      terms,
      content = '',
      contentless_delete = 1,
      tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*' tokenchars '.-/_'",
      prefix = '2 3'
    )
  `.execute(db);
}
