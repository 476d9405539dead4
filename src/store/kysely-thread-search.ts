import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  buildSnippet,
  decodeCursor,
  encodeCursor,
  messageSearchText,
  pageLimit,
  parseSearchQuery,
  threadMetaSearchText,
  type PageRequest,
  type SearchTerm,
  type ThreadFilters,
  type ThreadSearchHit,
  type ThreadSearchPage,
} from '../threads/index.js';
import type { LoomDatabase } from './database-schema.js';
import type { ThreadRows } from './thread-rows.js';
import type { SearchDocumentHit, ThreadDialect } from './thread-dialect.js';

/** Ranked search pages by offset; deep pages cost more, so they stop somewhere. */
const maxOffset = 1000;
const searchCursorSchema = z.object({ o: z.number().int().min(1).max(maxOffset) });
const maxDocuments = 20_000;

/**
 * Thread search on top of a document index: the index ranks documents (messages, and each thread's
 * own document); a thread ranks by its best document, whose text gives the snippet.
 */
export class KyselyThreadSearch {
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly rows: ThreadRows,
    private readonly dialect: ThreadDialect,
  ) {}

  async search(query: string, filters: ThreadFilters, page: PageRequest): Promise<ThreadSearchPage> {
    const terms = parseSearchQuery(query);
    if (terms.length === 0) return { hits: [], nextCursor: undefined };
    const limit = pageLimit(page.limit);
    const offset = page.cursor === undefined ? 0 : decodeCursor(page.cursor, searchCursorSchema).o;
    const best = await this.#bestDocumentPerThread(terms, filters, offset + limit + 1);
    const hits = await this.#describe(best.slice(offset, offset + limit), terms);
    const nextOffset = offset + limit;
    const nextCursor =
      best.length > nextOffset && nextOffset <= maxOffset ? encodeCursor({ o: nextOffset }) : undefined;
    return { hits, nextCursor };
  }

  /** Ranked documents, first (best) one per thread, until `wanted` threads or no more documents. */
  async #bestDocumentPerThread(
    terms: SearchTerm[],
    filters: ThreadFilters,
    wanted: number,
  ): Promise<SearchDocumentHit[]> {
    const { documentsPerThread, minDocuments } = this.dialect.searchBreadth;
    let documentLimit = Math.max(minDocuments, wanted * documentsPerThread);
    for (;;) {
      const documents = await this.dialect.queryDocuments(this.db, terms, filters, documentLimit);
      const best = new Map<string, SearchDocumentHit>();
      for (const document of documents)
        if (!best.has(document.threadId)) best.set(document.threadId, document);
      if (best.size >= wanted || documents.length < documentLimit || documentLimit >= maxDocuments) {
        return [...best.values()];
      }
      documentLimit = Math.min(documentLimit * 4, maxDocuments);
    }
  }

  /** Adds each hit's thread and a snippet of its best document. */
  async #describe(best: SearchDocumentHit[], terms: SearchTerm[]): Promise<ThreadSearchHit[]> {
    if (best.length === 0) return [];
    const wantedMessages = best.filter((hit) => hit.messageSeq !== null);
    // Two independent reads (different pool connections): their latencies overlap.
    const [threadRows, messageRows] = await Promise.all([
      this.db
        .selectFrom('threads')
        .selectAll()
        .where(
          'id',
          'in',
          best.map((hit) => hit.threadId),
        )
        .where('deleted_at', 'is', null)
        .execute(),
      wantedMessages.length === 0
        ? []
        : this.db
            .selectFrom('thread_messages')
            .selectAll()
            .where((eb) =>
              eb.or(
                wantedMessages.map((hit) =>
                  eb.and([eb('thread_id', '=', hit.threadId), eb('seq', '=', hit.messageSeq ?? -1)]),
                ),
              ),
            )
            .execute(),
    ]);
    const threads = new Map(threadRows.map((row) => [row.id, this.rows.toSummary(row)]));
    const messages = new Map(
      messageRows.map((row) => [`${row.thread_id}#${row.seq}`, this.rows.toMessage(row)]),
    );
    return best.flatMap((hit): ThreadSearchHit[] => {
      const thread = threads.get(hit.threadId);
      if (thread === undefined) return []; // deleted between the two queries
      const message = hit.messageSeq === null ? undefined : messages.get(`${hit.threadId}#${hit.messageSeq}`);
      const text = message === undefined ? threadMetaSearchText(thread) : messageSearchText(message);
      return [{ thread, score: hit.score, messageSeq: message?.seq, snippet: buildSnippet(text, terms) }];
    });
  }
}
