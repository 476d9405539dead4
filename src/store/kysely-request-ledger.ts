import type { Kysely, Selectable } from 'kysely';
import { LoomError } from '../errors/index.js';
import type { LoomDatabase, RequestsTable } from './database-schema.js';
import {
  unfinishedRequestStatuses,
  type RecordRequestInput,
  type RequestCursor,
  type RequestJob,
  type RequestLedger,
  type RequestRecord,
  type RequestSource,
  type RequestStatus,
} from './store-types.js';
import type { ValueCodec } from './value-codec.js';

/**
 * How many times `record` retries when its insert lost to another writer but the winner's row was
 * gone by the time it was read (a concurrent `forgetUnenqueued`). The loop only exists so the answer
 * is never "created: false" without a record.
 */
const recordAttempts = 3;

/** The request ledger on any Kysely dialect; `codec` carries the dialect's date handling. */
export class KyselyRequestLedger implements RequestLedger {
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly codec: ValueCodec,
  ) {}

  /**
   * One INSERT … ON CONFLICT DO NOTHING decides the winner inside the database, so concurrent callers
   * (other processes, other servers) agree on exactly one `created: true`.
   */
  async record(input: RecordRequestInput): Promise<{ created: boolean; request: RequestRecord }> {
    for (let attempt = 0; attempt < recordAttempts; attempt += 1) {
      const now = this.codec.encodeDate(new Date());
      const inserted = await this.db
        .insertInto('requests')
        .values({
          delivery_id: input.deliveryId,
          source: input.source,
          kind: input.kind,
          status: 'received',
          job_id: null,
          reason: null,
          created_at: now,
          updated_at: now,
          job_name: input.job?.name ?? null,
          job_payload: input.job === undefined ? null : this.codec.encodeJson(input.job.payload),
          job_options: input.job === undefined ? null : this.codec.encodeJson(input.job.options),
        })
        .onConflict((conflict) => conflict.column('delivery_id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { created: true, request: this.toRecord(inserted) };
      const existing = await this.get(input.deliveryId);
      if (existing !== undefined) return { created: false, request: existing };
    }
    throw new LoomError('conflict', `request ${input.deliveryId} kept changing while being recorded`, {
      retryable: true,
      details: { deliveryId: input.deliveryId },
    });
  }

  async get(deliveryId: string): Promise<RequestRecord | undefined> {
    const row = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toRecord(row);
  }

  async setStatus(
    deliveryId: string,
    status: RequestStatus,
    extra: { jobId?: string; reason?: string } = {},
  ): Promise<RequestRecord> {
    const row = await this.db
      .updateTable('requests')
      .set({
        status,
        updated_at: this.codec.encodeDate(new Date()),
        ...(extra.jobId === undefined ? {} : { job_id: extra.jobId }),
        ...(extra.reason === undefined ? {} : { reason: extra.reason }),
      })
      .where('delivery_id', '=', deliveryId)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) {
      throw new LoomError('not_found', `no request with delivery id ${deliveryId}`, {
        details: { deliveryId },
      });
    }
    return this.toRecord(row);
  }

  async forgetUnenqueued(deliveryId: string): Promise<boolean> {
    const deleted = await this.db
      .deleteFrom('requests')
      .where('delivery_id', '=', deliveryId)
      .where('status', '=', 'received')
      .executeTakeFirst();
    if (deleted.numDeletedRows > 0n) return true;
    // Nothing deleted: the id is unknown (nothing blocks a redelivery: true) or it moved on (false).
    return (await this.get(deliveryId)) === undefined;
  }

  async listUnenqueued(olderThan: Date): Promise<RequestRecord[]> {
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('status', '=', 'received')
      .where('created_at', '<', this.codec.encodeDate(olderThan))
      .orderBy('created_at')
      .orderBy('delivery_id')
      .execute();
    return rows.map((row) => this.toRecord(row));
  }

  async transition(
    deliveryId: string,
    from: readonly RequestStatus[],
    status: RequestStatus,
    extra: { jobId?: string; reason?: string } = {},
  ): Promise<boolean> {
    if (from.length === 0) return false;
    const updated = await this.db
      .updateTable('requests')
      .set({
        status,
        updated_at: this.codec.encodeDate(new Date()),
        ...(extra.jobId === undefined ? {} : { job_id: extra.jobId }),
        ...(extra.reason === undefined ? {} : { reason: extra.reason }),
      })
      .where('delivery_id', '=', deliveryId)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return updated.numUpdatedRows > 0n;
  }

  async listUnfinished(query: {
    olderThan: Date;
    after?: RequestCursor;
    limit: number;
  }): Promise<RequestRecord[]> {
    const after = query.after;
    let select = this.db
      .selectFrom('requests')
      .selectAll()
      .where('status', 'in', [...unfinishedRequestStatuses])
      .where('created_at', '<', this.codec.encodeDate(query.olderThan))
      // Rows from before migration 0007 past `received` have no job to re-create.
      .where((eb) => eb.or([eb('status', '=', 'received'), eb('job_name', 'is not', null)]));
    if (after !== undefined) {
      const createdAt = this.codec.encodeDate(after.createdAt);
      select = select.where((eb) =>
        eb.or([
          eb('created_at', '>', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('delivery_id', '>', after.deliveryId)]),
        ]),
      );
    }
    const rows = await select
      .orderBy('created_at')
      .orderBy('delivery_id')
      .limit(Math.max(1, Math.min(query.limit, 1000)))
      .execute();
    return rows.map((row) => this.toRecord(row));
  }

  private toRecord(row: Selectable<RequestsTable>): RequestRecord {
    return {
      deliveryId: row.delivery_id,
      source: row.source as RequestSource,
      kind: row.kind,
      status: row.status as RequestStatus,
      jobId: row.job_id ?? undefined,
      reason: row.reason ?? undefined,
      job: this.toJob(row),
      createdAt: this.codec.decodeDate(row.created_at),
      updatedAt: this.codec.decodeDate(row.updated_at),
    };
  }

  private toJob(row: Selectable<RequestsTable>): RequestJob | undefined {
    if (row.job_name === null || row.job_payload === null) return undefined;
    return {
      name: row.job_name,
      payload: this.codec.decodeJson(row.job_payload),
      options: row.job_options === null ? {} : this.codec.decodeJson(row.job_options),
    };
  }
}
