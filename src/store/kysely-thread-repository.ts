import type { Kysely, Selectable, Updateable } from 'kysely';
import { LoomError } from '../errors/index.js';
import {
  newThreadId,
  threadSourceKey,
  type CreateThreadInput,
  type NewThreadMessage,
  type PageRequest,
  type Thread,
  type ThreadContent,
  type ThreadFilters,
  type ThreadPage,
  type ThreadPatch,
  type ThreadRepository,
  type ThreadSearchPage,
  type ThreadSource,
  type ThreadWriteOptions,
} from '../threads/index.js';
import type { LoomDatabase, ThreadsTable } from './database-schema.js';
import { KyselyThreadSearch } from './kysely-thread-search.js';
import { listThreads } from './list-threads.js';
import { ThreadRows } from './thread-rows.js';
import type { ThreadDialect } from './thread-dialect.js';
import { ThreadWriter, type ThreadChange } from './thread-writer.js';
import type { ValueCodec } from './value-codec.js';

/** How often `linkSource` re-reads when another writer moved the thread between its read and write. */
const linkAttempts = 5;
const defaultUnsyncedLimit = 50;

/**
 * Threads on any Kysely dialect. Every write is one transaction guarded by the thread's version
 * (`UPDATE … WHERE version = expected`), so concurrent writers (processes, servers) cannot both
 * win; the loser gets `conflict`. Search is delegated to the dialect's `ThreadSearchIndex`.
 */
export class KyselyThreadRepository implements ThreadRepository {
  readonly #rows: ThreadRows;
  readonly #writer: ThreadWriter;
  readonly #search: KyselyThreadSearch;

  constructor(
    private readonly db: Kysely<LoomDatabase>,
    codec: ValueCodec,
    private readonly dialect: ThreadDialect,
  ) {
    this.#rows = new ThreadRows(codec);
    this.#writer = new ThreadWriter(this.#rows, dialect);
    this.#search = new KyselyThreadSearch(db, this.#rows, dialect);
  }

  async create(input: CreateThreadInput): Promise<Thread> {
    const id = input.id ?? newThreadId();
    const content: ThreadContent = {
      title: input.title,
      owner: input.owner,
      status: input.status ?? 'open',
      visibility: input.visibility ?? 'team',
      ...(input.repository === undefined ? {} : { repository: input.repository }),
      sources: input.sources ?? [],
      git: { commits: [], ...input.git },
      agentState: input.agentState ?? {},
      costUsd: 0,
      turns: 0,
      runIds: [],
      messages: input.messages ?? [],
    };
    await this.dialect.transaction(this.db, (trx) => this.#writer.insert(trx, id, content, undefined));
    return this.#require(id);
  }

  async get(id: string): Promise<Thread | undefined> {
    const row = await this.#liveRow(id);
    if (row === undefined) return undefined;
    const messages = await this.db
      .selectFrom('thread_messages')
      .selectAll()
      .where('thread_id', '=', id)
      .orderBy('seq')
      .execute();
    return this.#rows.toThread(row, messages);
  }

  async findBySource(source: ThreadSource | string): Promise<Thread | undefined> {
    const key = typeof source === 'string' ? source : threadSourceKey(source);
    const link = await this.db
      .selectFrom('thread_sources')
      .select('thread_id')
      .where('source_key', '=', key)
      .executeTakeFirst();
    return link === undefined ? undefined : this.get(link.thread_id);
  }

  appendMessages(
    id: string,
    expectedVersion: number,
    messages: NewThreadMessage[],
    patch: ThreadPatch = {},
    options: ThreadWriteOptions = {},
  ): Promise<Thread> {
    return this.#change(id, expectedVersion, options, (current) => ({
      set: {
        ...this.#writer.patchColumns(current, patch),
        message_count: current.message_count + messages.length,
      },
      messages,
      firstSeq: current.message_count,
      threadDocumentChanged: ThreadWriter.touchesThreadDocument(patch),
    }));
  }

  update(id: string, expectedVersion: number, patch: ThreadPatch, options: ThreadWriteOptions = {}) {
    return this.appendMessages(id, expectedVersion, [], patch, options);
  }

  async replace(
    id: string,
    expectedVersion: number | undefined,
    content: ThreadContent,
    options: ThreadWriteOptions = {},
  ): Promise<Thread> {
    if (expectedVersion !== undefined) {
      return this.#change(id, expectedVersion, options, () => ({
        set: this.#writer.contentColumns(content),
        messages: content.messages,
        firstSeq: 0,
        replaceAll: content.sources,
        threadDocumentChanged: true,
      }));
    }
    const existing = await this.db.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirst();
    if (existing !== undefined) {
      if (await this.#alreadyApplied(existing, 0, options)) return this.#require(id);
      throw conflict(id, undefined, Number(existing.version));
    }
    await this.dialect.transaction(this.db, (trx) => this.#writer.insert(trx, id, content, options.writeId));
    return this.#require(id);
  }

  search(query: string, filters: ThreadFilters = {}, page: PageRequest = {}): Promise<ThreadSearchPage> {
    return this.#search.search(query, filters, page);
  }

  list(filters: ThreadFilters = {}, page: PageRequest = {}): Promise<ThreadPage> {
    return listThreads(this.db, this.#rows, filters, page);
  }

  async softDelete(id: string): Promise<void> {
    const now = this.#rows.encodeDate(new Date());
    await this.dialect.transaction(this.db, async (trx) => {
      const deleted = await trx
        .updateTable('threads')
        .set((eb) => ({ deleted_at: now, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('deleted_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      if (deleted === undefined) {
        const known = await trx.selectFrom('threads').select('id').where('id', '=', id).executeTakeFirst();
        if (known === undefined) throw notFound(id);
        return;
      }
      await this.#writer.forget(trx, id);
    });
  }

  async linkSource(id: string, source: ThreadSource): Promise<Thread> {
    const key = threadSourceKey(source);
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.#liveRow(id);
      if (current === undefined) throw notFound(id);
      const holder = await this.db
        .selectFrom('thread_sources')
        .select('thread_id')
        .where('source_key', '=', key)
        .executeTakeFirst();
      if (holder?.thread_id === id) return this.#require(id);
      if (holder !== undefined) {
        throw new LoomError('conflict', `source ${key} belongs to thread ${holder.thread_id}`, {
          details: { threadId: id, sourceKey: key, holderThreadId: holder.thread_id },
        });
      }
      const linked = await this.#writer.link(this.db, current, source);
      if (linked) return this.#require(id);
      if (attempt >= linkAttempts) throw conflict(id, Number(current.version), undefined);
    }
  }

  async listUnsynced(limit = defaultUnsyncedLimit): Promise<Thread[]> {
    const rows = await this.db
      .selectFrom('threads')
      .select('id')
      .where('deleted_at', 'is', null)
      .where('visibility', '<>', 'private')
      .where((eb) => eb.or([eb('synced_version', 'is', null), eb('version', '>', eb.ref('synced_version'))]))
      .orderBy('updated_at')
      .limit(Math.max(1, Math.trunc(limit)))
      .execute();
    const threads = await Promise.all(rows.map((row) => this.get(row.id)));
    return threads.filter((thread): thread is Thread => thread !== undefined);
  }

  async markSynced(id: string, localVersion: number, remoteVersion: number): Promise<void> {
    // Queued like every other write of this repository (see ThreadDialect.transaction).
    const row = await this.dialect.transaction(this.db, (trx) =>
      trx
        .updateTable('threads')
        .set({ synced_version: localVersion, remote_version: remoteVersion })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst(),
    );
    if (row === undefined) throw notFound(id);
  }

  async remoteVersionOf(id: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('threads')
      .select('remote_version')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.remote_version === null || row === undefined ? undefined : Number(row.remote_version);
  }

  /**
   * The optimistic write: read, check the version, then one transaction whose first statement is the
   * guarded UPDATE (so SQLite takes its write lock up front and PostgreSQL re-checks the version
   * after waiting for a concurrent writer's row lock).
   */
  async #change(
    id: string,
    expectedVersion: number,
    options: ThreadWriteOptions,
    plan: (current: Selectable<ThreadsTable>) => ThreadChange,
  ): Promise<Thread> {
    const current = await this.#liveRow(id);
    if (current === undefined) throw notFound(id);
    if (Number(current.version) !== expectedVersion) {
      if (await this.#alreadyApplied(current, expectedVersion, options)) return this.#require(id);
      throw conflict(id, expectedVersion, Number(current.version));
    }
    const applied = await this.dialect.transaction(this.db, (trx) =>
      this.#writer.apply(trx, id, expectedVersion, plan(current), options.writeId),
    );
    if (!applied) {
      const now = await this.#liveRow(id);
      if (now === undefined) throw notFound(id);
      throw conflict(id, expectedVersion, Number(now.version));
    }
    return this.#require(id);
  }

  /**
   * Whether this is the retry of a write whose first attempt committed (its answer was lost with the
   * connection): the thread's latest write carries the same write id, or, for an append, messages
   * with that write id are already there (even if other writes came after).
   */
  async #alreadyApplied(row: Selectable<ThreadsTable>, expectedVersion: number, options: ThreadWriteOptions) {
    const { writeId } = options;
    if (writeId === undefined) return false;
    if (row.last_write_id === writeId && Number(row.version) === expectedVersion + 1) return true;
    const message = await this.db
      .selectFrom('thread_messages')
      .select('seq')
      .where('thread_id', '=', row.id)
      .where('write_id', '=', writeId)
      .executeTakeFirst();
    return message !== undefined;
  }

  #liveRow(id: string): Promise<Selectable<ThreadsTable> | undefined> {
    return this.db
      .selectFrom('threads')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async #require(id: string): Promise<Thread> {
    return (await this.get(id)) ?? Promise.reject(notFound(id));
  }
}

export type ThreadColumns = Updateable<ThreadsTable>;

function notFound(id: string): LoomError {
  return new LoomError('not_found', `no thread with id ${id}`, { details: { threadId: id } });
}

function conflict(id: string, expectedVersion: number | undefined, currentVersion: number | undefined) {
  return new LoomError(
    'conflict',
    `thread ${id} is at version ${currentVersion ?? '?'}, not ${expectedVersion ?? 'new'}`,
    {
      details: { threadId: id, expectedVersion, currentVersion },
    },
  );
}
