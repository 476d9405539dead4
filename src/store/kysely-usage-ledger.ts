import type { Insertable, Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type {
  ProxyProvider,
  ProxyRoute,
  SpendScope,
  UsageEvent,
  UsageLedger,
  UsageStatus,
} from '../proxy/index.js';
import type { LoomDatabase, UsageEventsTable } from './database-schema.js';
import type { ValueCodec } from './value-codec.js';

/**
 * The LLM proxy's usage ledger (`usage_events`) on any Kysely dialect. Every event is one INSERT;
 * spend is a SUM over the indexed token id, so a budget check costs one indexed query.
 */
export class KyselyUsageLedger implements UsageLedger {
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly codec: ValueCodec,
  ) {}

  async record(event: UsageEvent): Promise<void> {
    await this.recordMany([event]);
  }

  /** One multi-row INSERT: one commit for a whole batch (see the proxy's batching ledger). */
  async recordMany(events: readonly UsageEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db
      .insertInto('usage_events')
      .values(events.map((event) => this.toRow(event)))
      .execute();
  }

  /**
   * Ids are UUIDv7 (time first) so a batch's rows land at the right edge of the primary key's B-tree
   * instead of at random pages: a 500-row batch on SQLite committed in 2.0 ms against 3.5-3.9 ms with
   * random UUIDs, on a small table; the gap grows with the table.
   */
  private toRow(event: UsageEvent): Insertable<UsageEventsTable> {
    return {
      id: uuidv7(),
      at: this.codec.encodeDate(event.at),
      subject: event.subject,
      token_id: event.tokenId,
      job_id: event.jobId ?? null,
      provider: event.provider,
      model: event.model,
      route: event.route,
      input_tokens: Math.round(event.inputTokens),
      output_tokens: Math.round(event.outputTokens),
      cost_usd: event.costUsd,
      latency_ms: Math.round(event.latencyMs),
      status: event.status,
      http_status: event.httpStatus,
      error_code: event.errorCode ?? null,
    };
  }

  async spentUsd(scope: SpendScope): Promise<number> {
    let query = this.db
      .selectFrom('usage_events')
      .select((eb) => eb.fn.sum<number | string | null>('cost_usd').as('spent'));
    query =
      'tokenId' in scope
        ? query.where('token_id', '=', scope.tokenId)
        : query.where('subject', '=', scope.subject);
    const row = await query.executeTakeFirst();
    // pg returns SUM(float8) as a number, but a driver may hand back text: normalize.
    return Number(row?.spent ?? 0);
  }

  /** Events of one token or subject, oldest first (for reports and tests). */
  async list(scope: SpendScope, limit = 1000): Promise<UsageEvent[]> {
    let query = this.db.selectFrom('usage_events').selectAll();
    query =
      'tokenId' in scope
        ? query.where('token_id', '=', scope.tokenId)
        : query.where('subject', '=', scope.subject);
    const rows = await query
      .orderBy('at', 'asc')
      .limit(Math.min(Math.max(limit, 1), 10_000))
      .execute();
    return rows.map((row) => this.toEvent(row));
  }

  private toEvent(row: Selectable<UsageEventsTable>): UsageEvent {
    return {
      at: this.codec.decodeDate(row.at),
      subject: row.subject,
      tokenId: row.token_id,
      jobId: row.job_id ?? undefined,
      provider: row.provider as ProxyProvider,
      model: row.model,
      route: row.route as ProxyRoute,
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      costUsd: Number(row.cost_usd),
      latencyMs: row.latency_ms,
      status: row.status as UsageStatus,
      httpStatus: row.http_status,
      errorCode: row.error_code ?? undefined,
    };
  }
}
