import type { Kysely, Selectable } from 'kysely';
import { LoomError } from '../errors/index.js';
import type { LoomDatabase, RequestsTable } from './database-schema.js';
import type {
  RecordRequestInput,
  RequestJob,
  RequestRecord,
  RequestSource,
  RequestStatus,
} from './store-types.js';
import type { ValueCodec } from './value-codec.js';

/**
 * How many times `recordRequest` retries when its insert lost to another writer but the winner's row
 * was gone by the time it was read (a concurrent `forgetUnenqueued`). The loop only exists so the
 * answer is never "created: false" without a record.
 */
const recordAttempts = 3;

/**
 * Records a delivery once, on `db` (a transaction when the caller writes more with it). One
 * INSERT … ON CONFLICT DO NOTHING decides the winner inside the database, so concurrent callers
 * (other processes, other servers) agree on exactly one `created: true`.
 */
export async function recordRequest(
  db: Kysely<LoomDatabase>,
  codec: ValueCodec,
  input: RecordRequestInput,
): Promise<{ created: boolean; row: Selectable<RequestsTable> }> {
  for (let attempt = 0; attempt < recordAttempts; attempt += 1) {
    const now = codec.encodeDate(new Date());
    const inserted = await db
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
        job_payload: input.job === undefined ? null : codec.encodeJson(input.job.payload),
        job_options: input.job === undefined ? null : codec.encodeJson(input.job.options),
      })
      .onConflict((conflict) => conflict.column('delivery_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted !== undefined) return { created: true, row: inserted };
    const existing = await db
      .selectFrom('requests')
      .selectAll()
      .where('delivery_id', '=', input.deliveryId)
      .executeTakeFirst();
    if (existing !== undefined) return { created: false, row: existing };
  }
  throw new LoomError('conflict', `request ${input.deliveryId} kept changing while being recorded`, {
    retryable: true,
    details: { deliveryId: input.deliveryId },
  });
}

/** A `requests` row as the ledger hands it out. */
export function requestFromRow(row: Selectable<RequestsTable>, codec: ValueCodec): RequestRecord {
  return {
    deliveryId: row.delivery_id,
    source: row.source as RequestSource,
    kind: row.kind,
    status: row.status as RequestStatus,
    jobId: row.job_id ?? undefined,
    reason: row.reason ?? undefined,
    job: jobFromRow(row, codec),
    createdAt: codec.decodeDate(row.created_at),
    updatedAt: codec.decodeDate(row.updated_at),
  };
}

function jobFromRow(row: Selectable<RequestsTable>, codec: ValueCodec): RequestJob | undefined {
  if (row.job_name === null || row.job_payload === null) return undefined;
  return {
    name: row.job_name,
    payload: codec.decodeJson(row.job_payload),
    options: row.job_options === null ? {} : codec.decodeJson(row.job_options),
  };
}
