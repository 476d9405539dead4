/**
 * Writing SQLite's contentless FTS5 rows (`thread_search_fts`, rowid = `thread_search_documents.id`):
 * a row is a document's terms followed by its thread's facets. Rows cannot be read back or edited,
 * only deleted and written whole, which is why a change of facets rebuilds the terms.
 */
import type { ColumnType, Kysely } from 'kysely';
import type { SearchTerm } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';
import type { SearchDocument } from '../thread-dialect.js';

/** The FTS5 table as Kysely sees it (not in LoomDatabase: it only exists in SQLite). */
export type FtsTables = {
  /** `rank` is FTS5's hidden ranking column: readable, never written. */
  thread_search_fts: { rowid: number | string; terms: string; rank: ColumnType<number, never, never> };
};

/** Rows per multi-row INSERT: well under SQLite's limit of 32 766 bound parameters. */
export const ftsBatchSize = 400;

/** FTS rows for documents: their terms, then their thread's facets (`facetsOf(threadId)`). */
export async function writeFtsRows(
  db: Kysely<LoomDatabase>,
  rows: ReadonlyArray<{ rowid: number; document: SearchDocument }>,
  facetsOf: (threadId: string) => string,
): Promise<void> {
  for (let index = 0; index < rows.length; index += ftsBatchSize) {
    await db
      .withTables<FtsTables>()
      .insertInto('thread_search_fts')
      .values(
        rows.slice(index, index + ftsBatchSize).map(({ rowid, document }) => ({
          rowid,
          terms: `${document.terms.join(' ')} ${facetsOf(document.threadId)}`,
        })),
      )
      .execute();
  }
}

/** Writes a thread's FTS rows again, from its documents as they are now (`currentDocuments`). */
export async function rewriteThreadFtsRows(
  db: Kysely<LoomDatabase>,
  threadId: string,
  currentDocuments: () => Promise<SearchDocument[]>,
  facets: string,
): Promise<void> {
  const [stored, documents] = await Promise.all([
    db
      .selectFrom('thread_search_documents')
      .select(['id', 'message_seq'])
      .where('thread_id', '=', threadId)
      .execute(),
    currentDocuments(),
  ]);
  if (stored.length === 0) return;
  const bySeq = new Map(documents.map((document) => [document.messageSeq, document]));
  const ids = stored.map((row) => Number(row.id));
  for (let index = 0; index < ids.length; index += ftsBatchSize) {
    await db
      .withTables<FtsTables>()
      .deleteFrom('thread_search_fts')
      .where('rowid', 'in', ids.slice(index, index + ftsBatchSize))
      .execute();
  }
  const rows = stored.flatMap((row) => {
    const document = bySeq.get(row.message_seq === null ? null : Number(row.message_seq));
    return document === undefined ? [] : [{ rowid: Number(row.id), document }];
  });
  await writeFtsRows(db, rows, () => facets);
}

/** `"term" "sha"* "_repo_…"`: every term quoted (so `/`, `.` and `-` are not query syntax), AND-ed. */
export function ftsQuery(terms: SearchTerm[], facets: readonly string[] = []): string {
  return [
    ...terms.map((term) => `"${term.text.replaceAll('"', '""')}"${term.prefix ? '*' : ''}`),
    ...facets.map((facet) => `"${facet}"`),
  ].join(' ');
}
