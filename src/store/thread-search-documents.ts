/**
 * A thread's search documents as they should be now, rebuilt from its stored row and messages: the
 * thread's own document (title, repository, git, sources) and one per message with searchable text.
 * Writes build them from what they insert; this rebuild serves SQLite, whose contentless FTS5 rows
 * cannot be read back and must be written again whole when a thread's filters change (and once by
 * migration 0009).
 */
import type { Kysely, Selectable } from 'kysely';
import { indexTerms, messageSearchText, threadMetaSearchText } from '../threads/index.js';
import type { LoomDatabase, ThreadsTable } from './database-schema.js';
import type { SearchDocument } from './thread-dialect.js';
import type { ThreadRows } from './thread-rows.js';

/** The document of the thread itself (`messageSeq: null`). */
export function threadDocument(rows: ThreadRows, row: Selectable<ThreadsTable>): SearchDocument {
  return { threadId: row.id, messageSeq: null, terms: indexTerms(threadMetaSearchText(rows.toSummary(row))) };
}

export async function readThreadSearchDocuments(
  db: Kysely<LoomDatabase>,
  rows: ThreadRows,
  threadId: string,
): Promise<SearchDocument[]> {
  const [thread, messages] = await Promise.all([
    db.selectFrom('threads').selectAll().where('id', '=', threadId).executeTakeFirst(),
    db.selectFrom('thread_messages').selectAll().where('thread_id', '=', threadId).orderBy('seq').execute(),
  ]);
  if (thread === undefined) return [];
  const documents = [threadDocument(rows, thread)];
  for (const message of messages) {
    const terms = indexTerms(messageSearchText(rows.toMessage(message)));
    if (terms.length > 0) documents.push({ threadId, messageSeq: Number(message.seq), terms });
  }
  return documents;
}
