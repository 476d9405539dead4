import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { LoomError } from '../errors/index.js';
import {
  indexTerms,
  messageSearchText,
  threadSourceKey,
  threadSourceRepository,
  type NewThreadMessage,
  type ThreadContent,
  type ThreadGit,
  type ThreadPatch,
  type ThreadSource,
} from '../threads/index.js';
import type { LoomDatabase, ThreadsTable } from './database-schema.js';
import type { ThreadRows } from './thread-rows.js';
import type { FilterColumn, SearchDocument, ThreadDialect } from './thread-dialect.js';
import { readThreadSearchDocuments, threadDocument } from './thread-search-documents.js';

/** What one versioned write changes. */
export interface ThreadChange {
  /** Columns to set besides version, updated_at and last_write_id. */
  set: Updateable<ThreadsTable>;
  messages: NewThreadMessage[];
  /** `seq` of the first new message. */
  firstSeq: number;
  /** When given, the write replaces everything: messages, search documents, and these sources. */
  replaceAll?: ThreadSource[];
  /** Whether the title, repository, git metadata or sources changed (the thread's search document). */
  threadDocumentChanged: boolean;
}

type ContentColumns = Omit<
  Insertable<ThreadsTable>,
  | 'id'
  | 'version'
  | 'last_write_id'
  | 'synced_version'
  | 'remote_version'
  | 'created_at'
  | 'updated_at'
  | 'deleted_at'
>;

/** Rows per multi-row INSERT of messages (9 parameters each). */
const messageBatchSize = 200;

/** Thrown inside a transaction to roll it back when the thread moved on meanwhile. */
class VersionMoved extends Error {}

/** The writing half of the threads repository: rows, sources and search documents, in one transaction. */
export class ThreadWriter {
  constructor(
    private readonly rows: ThreadRows,
    private readonly dialect: ThreadDialect,
  ) {}

  static touchesThreadDocument(patch: ThreadPatch): boolean {
    return patch.title !== undefined || patch.repository !== undefined || patch.git !== undefined;
  }

  /** Creates a thread at version 1. A taken id or source surfaces as `conflict` from the database. */
  async insert(trx: Kysely<LoomDatabase>, id: string, content: ThreadContent, writeId: string | undefined) {
    const now = new Date();
    const sources = uniqueSources(content.sources);
    await trx
      .insertInto('threads')
      .values({
        id,
        version: 1,
        ...this.contentColumns({ ...content, sources }),
        message_count: content.messages.length,
        last_write_id: writeId ?? null,
        synced_version: null,
        remote_version: null,
        created_at: this.rows.encodeDate(content.createdAt ?? now),
        updated_at: this.rows.encodeDate(now),
        deleted_at: null,
      })
      .execute();
    await this.#insertSources(trx, id, sources, now);
    await this.#insertMessages(trx, id, 0, content.messages, now, writeId);
    const row = await trx.selectFrom('threads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await this.dialect.insertDocuments(trx, [this.#threadDocument(row)]);
  }

  /** Applies a change if the thread is still at `expectedVersion`; false when it is not. */
  async apply(
    trx: Kysely<LoomDatabase>,
    id: string,
    expectedVersion: number,
    change: ThreadChange,
    writeId: string | undefined,
  ): Promise<boolean> {
    const now = new Date();
    const updated = await trx
      .updateTable('threads')
      .set({
        ...change.set,
        version: expectedVersion + 1,
        updated_at: this.rows.encodeDate(now),
        last_write_id: writeId ?? null,
      })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (updated === undefined) return false;
    if (change.replaceAll !== undefined) {
      await trx.deleteFrom('thread_messages').where('thread_id', '=', id).execute();
      await this.dialect.removeDocuments(trx, id, 'all');
      await trx.deleteFrom('thread_sources').where('thread_id', '=', id).execute();
      await this.#insertSources(trx, id, uniqueSources(change.replaceAll), now);
    } else {
      if (change.threadDocumentChanged) await this.dialect.removeDocuments(trx, id, 'thread');
      const changed = changedFilters(change.set);
      if (changed.size > 0) {
        await this.dialect.refreshFilters(trx, id, changed, this.#currentDocuments(trx, id));
      }
    }
    await this.#insertMessages(trx, id, change.firstSeq, change.messages, now, writeId);
    if (change.threadDocumentChanged)
      await this.dialect.insertDocuments(trx, [this.#threadDocument(updated)]);
    return true;
  }

  /** Links a source in its own transaction; false when the thread moved on since `current` was read. */
  async link(db: Kysely<LoomDatabase>, current: Selectable<ThreadsTable>, source: ThreadSource) {
    const now = new Date();
    const summary = this.rows.toSummary(current);
    try {
      await this.dialect.transaction(db, async (trx) => {
        await this.#insertSources(trx, current.id, [source], now);
        const updated = await trx
          .updateTable('threads')
          .set((eb) => ({
            sources: this.rows.encodeJson([...summary.sources, source]),
            repository: summary.repository ?? threadSourceRepository(source) ?? null,
            version: eb('version', '+', 1),
            updated_at: this.rows.encodeDate(now),
            last_write_id: null,
          }))
          .where('id', '=', current.id)
          .where('version', '=', current.version)
          .where('deleted_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (updated === undefined) throw new VersionMoved();
        const changed = new Set<FilterColumn>(['sources']);
        if (updated.repository !== current.repository) changed.add('repository');
        await this.dialect.refreshFilters(trx, current.id, changed, this.#currentDocuments(trx, current.id));
        await this.dialect.removeDocuments(trx, current.id, 'thread');
        await this.dialect.insertDocuments(trx, [this.#threadDocument(updated)]);
      });
      return true;
    } catch (error) {
      if (error instanceof VersionMoved) return false;
      throw error;
    }
  }

  /** After a soft delete: the sources are free again and nothing of the thread is searchable. */
  async forget(trx: Kysely<LoomDatabase>, id: string): Promise<void> {
    await trx.deleteFrom('thread_sources').where('thread_id', '=', id).execute();
    await this.dialect.removeDocuments(trx, id, 'all');
  }

  /** The columns a patch sets, merged with the current row where the patch is partial. */
  patchColumns(current: Selectable<ThreadsTable>, patch: ThreadPatch): Updateable<ThreadsTable> {
    const summary = this.rows.toSummary(current);
    const set: Updateable<ThreadsTable> = {};
    if (patch.title !== undefined) set.title = requireText(patch.title, 'title');
    // Only real changes: a change of these rewrites the search filters of every document (PostgreSQL).
    if (patch.status !== undefined && patch.status !== summary.status) set.status = patch.status;
    if (patch.visibility !== undefined && patch.visibility !== summary.visibility) {
      set.visibility = patch.visibility;
    }
    if (patch.repository !== undefined && patch.repository !== summary.repository) {
      set.repository = patch.repository;
    }
    if (patch.git !== undefined) set.git = this.rows.encodeJson(mergeGit(summary.git, patch.git));
    if (patch.agentState !== undefined) set.agent_state = this.rows.encodeJson(patch.agentState);
    if (patch.costUsd !== undefined) set.cost_usd = requireAmount(patch.costUsd, 'costUsd');
    if (patch.turns !== undefined) set.turns = Math.trunc(requireAmount(patch.turns, 'turns'));
    if (patch.runId !== undefined && !summary.runIds.includes(patch.runId)) {
      set.run_ids = this.rows.encodeJson([...summary.runIds, patch.runId]);
    }
    return set;
  }

  /** Every content column of a thread (a whole replacement). */
  contentColumns(content: ThreadContent): ContentColumns {
    const sources = uniqueSources(content.sources);
    const firstRepository = sources.map(threadSourceRepository).find((name) => name !== undefined);
    return {
      title: requireText(content.title, 'title'),
      owner: requireText(content.owner, 'owner'),
      status: content.status,
      visibility: content.visibility,
      repository: content.repository ?? firstRepository ?? null,
      sources: this.rows.encodeJson(sources),
      git: this.rows.encodeJson(mergeGit({ commits: [] }, content.git)),
      agent_state: this.rows.encodeJson(content.agentState),
      cost_usd: requireAmount(content.costUsd, 'costUsd'),
      turns: Math.trunc(requireAmount(content.turns, 'turns')),
      run_ids: this.rows.encodeJson([...new Set(content.runIds)]),
      message_count: content.messages.length,
    };
  }

  async #insertSources(trx: Kysely<LoomDatabase>, id: string, sources: ThreadSource[], now: Date) {
    if (sources.length === 0) return;
    await trx
      .insertInto('thread_sources')
      .values(
        sources.map((source) => ({
          source_key: threadSourceKey(source),
          thread_id: id,
          kind: source.kind,
          created_at: this.rows.encodeDate(now),
        })),
      )
      .execute();
  }

  async #insertMessages(
    trx: Kysely<LoomDatabase>,
    id: string,
    firstSeq: number,
    messages: NewThreadMessage[],
    now: Date,
    writeId: string | undefined,
  ): Promise<void> {
    const documents: SearchDocument[] = [];
    for (let start = 0; start < messages.length; start += messageBatchSize) {
      const batch = messages.slice(start, start + messageBatchSize);
      const rows = batch.map((message, offset) =>
        this.rows.messageRow(id, firstSeq + start + offset, message, now, writeId),
      );
      await trx.insertInto('thread_messages').values(rows).execute();
      batch.forEach((message, offset) => {
        const terms = indexTerms(messageSearchText(message));
        if (terms.length > 0) documents.push({ threadId: id, messageSeq: firstSeq + start + offset, terms });
      });
    }
    await this.dialect.insertDocuments(trx, documents);
  }

  #threadDocument(row: Selectable<ThreadsTable>): SearchDocument {
    return threadDocument(this.rows, row);
  }

  /** Rebuilds the thread's documents on demand (only SQLite needs them to refresh its filters). */
  #currentDocuments(trx: Kysely<LoomDatabase>, id: string): () => Promise<SearchDocument[]> {
    return () => readThreadSearchDocuments(trx, this.rows, id);
  }
}

/** The columns search filters read that a change sets (the sources change only by replace or link). */
function changedFilters(set: Updateable<ThreadsTable>): Set<FilterColumn> {
  const columns = ['status', 'visibility', 'repository', 'owner'] as const;
  return new Set(columns.filter((column) => set[column] !== undefined));
}

function uniqueSources(sources: ThreadSource[]): ThreadSource[] {
  const byKey = new Map(sources.map((source) => [threadSourceKey(source), source]));
  return [...byKey.values()];
}

function mergeGit(current: ThreadGit, patch: Partial<ThreadGit>): ThreadGit {
  return { ...current, ...patch, commits: [...(patch.commits ?? current.commits)] };
}

function requireText(value: string, field: string): string {
  if (value.trim() === '') throw new LoomError('invalid_input', `thread ${field} must not be empty`);
  return value;
}

function requireAmount(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new LoomError('invalid_input', `thread ${field} must be a non-negative number`, {
      details: { [field]: value },
    });
  }
  return value;
}
