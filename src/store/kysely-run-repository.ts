import type { Kysely, Selectable } from 'kysely';
import { LoomError } from '../errors/index.js';
import type { LoomDatabase, RunsTable } from './database-schema.js';
import type { CreateRunInput, RunRecord, RunRepository, RunStatus } from './store-types.js';
import type { ValueCodec } from './value-codec.js';

type FinalRunStatus = Exclude<RunStatus, 'queued' | 'running'>;

const finalStatuses: readonly RunStatus[] = ['done', 'failed', 'cancelled', 'over-budget'];
const defaultListLimit = 50;
const maxListLimit = 1000;

/** The runs repository on any Kysely dialect; `codec` carries the dialect's date and JSON handling. */
export class KyselyRunRepository implements RunRepository {
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly codec: ValueCodec,
  ) {}

  /** Idempotent by id; a different run for a job that already has one is a `conflict`. */
  async create(input: CreateRunInput): Promise<RunRecord> {
    const now = this.codec.encodeDate(new Date());
    await this.db
      .insertInto('runs')
      .values({
        id: input.id,
        job_id: input.jobId,
        job_name: input.jobName,
        delivery_id: input.deliveryId ?? null,
        status: 'queued',
        attempts: 0,
        progress: this.codec.encodeJson({}),
        result: null,
        error: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    const run = await this.get(input.id);
    if (run !== undefined && run.jobId === input.jobId) return run;
    const holder = run ?? (await this.getByJobId(input.jobId));
    throw new LoomError(
      'conflict',
      `run ${input.id} / job ${input.jobId} clashes with run ${holder?.id ?? '?'}`,
      {
        details: {
          runId: input.id,
          jobId: input.jobId,
          existingRunId: holder?.id,
          existingJobId: holder?.jobId,
        },
      },
    );
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const row = await this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : this.toRecord(row);
  }

  async getByJobId(jobId: string): Promise<RunRecord | undefined> {
    const row = await this.db.selectFrom('runs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    return row === undefined ? undefined : this.toRecord(row);
  }

  /** Only a `queued` or `running` run can start; a finished one is a `conflict` (its result stands). */
  async markStarted(id: string): Promise<RunRecord> {
    const now = this.codec.encodeDate(new Date());
    const row = await this.db
      .updateTable('runs')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        started_at: eb.fn.coalesce('started_at', eb.val(now)),
        updated_at: now,
      }))
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) return this.toRecord(row);
    const run = await this.require(id);
    throw new LoomError('conflict', `run ${id} is already ${run.status}`, {
      details: { runId: id, status: run.status },
    });
  }

  async saveProgress(id: string, progress: Record<string, unknown>): Promise<RunRecord> {
    const row = await this.db
      .updateTable('runs')
      .set({ progress: this.codec.encodeJson(progress), updated_at: this.codec.encodeDate(new Date()) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? this.throwNotFound(id) : this.toRecord(row);
  }

  async finish(
    id: string,
    status: FinalRunStatus,
    outcome: { result?: Record<string, unknown>; error?: string },
  ): Promise<RunRecord> {
    if (!finalStatuses.includes(status)) {
      throw new LoomError('invalid_input', `${String(status)} is not a final run status`, {
        details: { status },
      });
    }
    const now = this.codec.encodeDate(new Date());
    const row = await this.db
      .updateTable('runs')
      .set({
        status,
        result: outcome.result === undefined ? null : this.codec.encodeJson(outcome.result),
        error: outcome.error ?? null,
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? this.throwNotFound(id) : this.toRecord(row);
  }

  /** Newest first; `limit` defaults to 50 and is capped at 1000. */
  async list(filter: { status?: RunStatus; limit?: number } = {}): Promise<RunRecord[]> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? defaultListLimit), 1), maxListLimit);
    let query = this.db.selectFrom('runs').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => this.toRecord(row));
  }

  private async require(id: string): Promise<RunRecord> {
    return (await this.get(id)) ?? this.throwNotFound(id);
  }

  private throwNotFound(id: string): never {
    throw new LoomError('not_found', `no run with id ${id}`, { details: { runId: id } });
  }

  private toRecord(row: Selectable<RunsTable>): RunRecord {
    const optionalDate = (value: RunsTable['started_at']) =>
      value === null ? undefined : this.codec.decodeDate(value);
    return {
      id: row.id,
      jobId: row.job_id,
      jobName: row.job_name,
      deliveryId: row.delivery_id ?? undefined,
      status: row.status as RunStatus,
      attempts: Number(row.attempts),
      progress: this.codec.decodeJson(row.progress),
      result: row.result === null ? undefined : this.codec.decodeJson(row.result),
      error: row.error ?? undefined,
      createdAt: this.codec.decodeDate(row.created_at),
      updatedAt: this.codec.decodeDate(row.updated_at),
      startedAt: optionalDate(row.started_at),
      finishedAt: optionalDate(row.finished_at),
    };
  }
}
