import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  decodeCursor,
  encodeCursor,
  pageLimit,
  type PageRequest,
  type ThreadFilters,
  type ThreadPage,
} from '../threads/index.js';
import type { LoomDatabase } from './database-schema.js';
import { threadFilterConditions } from './thread-filters.js';
import type { ThreadRows } from './thread-rows.js';

/** Where the previous page ended: its last thread's `updated_at` and id. */
const listCursorSchema = z.object({ u: z.iso.datetime(), i: z.string().min(1) });

/**
 * Threads by latest activity, newest first, with keyset paging on (`updated_at`, `id`): a page stays
 * cheap however deep, and threads updated meanwhile do not shift the pages.
 */
export async function listThreads(
  db: Kysely<LoomDatabase>,
  rows: ThreadRows,
  filters: ThreadFilters,
  page: PageRequest,
): Promise<ThreadPage> {
  const limit = pageLimit(page.limit);
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, listCursorSchema);
  const found = await db
    .selectFrom('threads as t')
    .selectAll('t')
    .where((eb) => {
      const conditions = threadFilterConditions(eb, filters);
      if (after !== undefined) {
        const updatedAt = rows.encodeDate(new Date(after.u));
        conditions.push(
          eb.or([
            eb('t.updated_at', '<', updatedAt),
            eb.and([eb('t.updated_at', '=', updatedAt), eb('t.id', '<', after.i)]),
          ]),
        );
      }
      return eb.and(conditions);
    })
    .orderBy('t.updated_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(limit + 1)
    .execute();
  const threads = found.slice(0, limit).map((row) => rows.toSummary(row));
  const last = threads.at(-1);
  const nextCursor =
    found.length > limit && last !== undefined
      ? encodeCursor({ u: last.updatedAt.toISOString(), i: last.id })
      : undefined;
  return { threads, nextCursor };
}
