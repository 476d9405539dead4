import type { Kysely, Selectable } from 'kysely';
import { LoomError } from '../errors/index.js';
import type { GroupCommit } from './group-commit.js';
import { recordRequest, requestFromRow } from './record-request.js';
import type { LoomDatabase, RequestsTable } from './database-schema.js';
import {
  unfinishedRequestStatuses,
  type RecordRequestInput,
  type RequestCursor,
  type RequestLedger,
  type RequestRecord,
  type RequestStatus,
} from './store-types.js';
import type { ValueCodec } from './value-codec.js';

/** The request ledger on any Kysely dialect; `codec` carries the dialect's date handling. */
export class KyselyRequestLedger implements RequestLedger {
  /**
   * @param write runs the ledger's writes on the webhook path (`record`, `transition`, `setStatus`);
   *   the store passes a group commit, so concurrent webhooks share one sync of the database log.
   */
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly codec: ValueCodec,
    private readonly write: GroupCommit = (work) => work(db),
  ) {}

  async record(input: RecordRequestInput): Promise<{ created: boolean; request: RequestRecord }> {
    const { created, row } = await this.write((trx) => recordRequest(trx, this.codec, input));
    return { created, request: this.toRecord(row) };
  }

  async get(deliveryId: string): Promise<RequestRecord | undefined> {
    const row = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .executeTakeFirst();
    return row === undefined ? undefined : this.toRecord(row);
  }

  /** What a status change writes: the status, when, and the job id or reason it came with. */
  #statusColumns(status: RequestStatus, extra: { jobId?: string; reason?: string }) {
    return {
      status,
      updated_at: this.codec.encodeDate(new Date()),
      ...(extra.jobId === undefined ? {} : { job_id: extra.jobId }),
      ...(extra.reason === undefined ? {} : { reason: extra.reason }),
    };
  }

  async setStatus(
    deliveryId: string,
    status: RequestStatus,
    extra: { jobId?: string; reason?: string } = {},
  ): Promise<RequestRecord> {
    const row = await this.write((trx) =>
      trx
        .updateTable('requests')
        .set(this.#statusColumns(status, extra))
        .where('delivery_id', '=', deliveryId)
        .returningAll()
        .executeTakeFirst(),
    );
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
    const updated = await this.write((trx) =>
      trx
        .updateTable('requests')
        .set(this.#statusColumns(status, extra))
        .where('delivery_id', '=', deliveryId)
        .where('status', 'in', [...from])
        .executeTakeFirst(),
    );
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
    return requestFromRow(row, this.codec);
  }
}
