import { sql, type Kysely, type Selectable } from 'kysely';
import {
  usageReportRowLimit,
  type ProxyProvider,
  type ProxyRoute,
  type SpendScope,
  type UsageEvent,
  type UsageReportQuery,
  type UsageReportRow,
  type UsageStatus,
} from '../proxy/index.js';
import type { LoomDatabase, UsageEventsTable, UsageSpendScope } from './database-schema.js';
import { spendTotals, usageEventRow } from './usage-rows.js';
import type { StoreUsageLedger } from './store-types.js';
import type { ValueCodec } from './value-codec.js';

/** Runs `work` in one transaction (queued per file on SQLite, see sqlite-write-queue.ts). */
export type UsageTransaction = <T>(
  db: Kysely<LoomDatabase>,
  work: (trx: Kysely<LoomDatabase>) => Promise<T>,
) => Promise<T>;

/**
 * The LLM proxy's usage ledger on any Kysely dialect: one row per call in `usage_events`, and the
 * running spend per token and subject in `usage_spend`, both written in one transaction, so a budget
 * check is one primary-key read however long the token has been spending.
 */
export class KyselyUsageLedger implements StoreUsageLedger {
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly codec: ValueCodec,
    private readonly transaction: UsageTransaction,
  ) {}

  async record(event: UsageEvent): Promise<void> {
    await this.recordMany([event]);
  }

  /**
   * One multi-row INSERT and one multi-row UPSERT of the totals: one commit for a whole batch (see
   * the proxy's batching ledger). Totals are summed per key first (PostgreSQL refuses to update one
   * row twice in a statement) and sorted, so two servers' batches lock shared rows in the same order.
   */
  async recordMany(events: readonly UsageEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((event) => usageEventRow(event, this.codec));
    const totals = spendTotals(events);
    await this.transaction(this.db, async (trx) => {
      for (const chunk of chunksOf(rows)) await trx.insertInto('usage_events').values(chunk).execute();
      for (const chunk of chunksOf(totals)) {
        await trx
          .insertInto('usage_spend')
          .values(chunk)
          .onConflict((conflict) =>
            conflict.columns(['scope', 'scope_id']).doUpdateSet((eb) => ({
              spent_usd: eb(eb.ref('usage_spend.spent_usd'), '+', eb.ref('excluded.spent_usd')),
            })),
          )
          .execute();
      }
    });
  }

  async spentUsd(scope: SpendScope): Promise<number> {
    const [kind, id] = scopeKey(scope);
    const row = await this.db
      .selectFrom('usage_spend')
      .select('spent_usd')
      .where('scope', '=', kind)
      .where('scope_id', '=', id)
      .executeTakeFirst();
    // A driver may hand a float8 back as text: normalize.
    return Number(row?.spent_usd ?? 0);
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

  /** Calls, tokens and cost per subject, model or job in `[since, until)`, dearest first. */
  async report(query: UsageReportQuery): Promise<UsageReportRow[]> {
    // `||` concatenates on SQLite and PostgreSQL alike; both group and order by an output alias.
    const key =
      query.by === 'subject'
        ? sql<string>`subject`
        : query.by === 'model'
          ? sql<string>`provider || '/' || model`
          : sql<string>`coalesce(job_id, '-')`;
    let select = this.db
      .selectFrom('usage_events')
      .select((eb) => [
        key.as('key'),
        eb.fn.countAll<number | string>().as('calls'),
        eb.fn
          .sum<number | string>(eb.case().when('status', '<>', 'ok').then(1).else(0).end())
          .as('failed_calls'),
        eb.fn.sum<number | string>('input_tokens').as('input_tokens'),
        eb.fn.sum<number | string>('cache_read_tokens').as('cache_read_tokens'),
        eb.fn.sum<number | string>('cache_write_tokens').as('cache_write_tokens'),
        eb.fn.sum<number | string>('output_tokens').as('output_tokens'),
        eb.fn.sum<number | string>('cost_usd').as('cost_usd'),
      ])
      .where('at', '>=', this.codec.encodeDate(query.since))
      .where('at', '<', this.codec.encodeDate(query.until));
    if (query.subject !== undefined) select = select.where('subject', '=', query.subject);
    const rows = await select
      .groupBy(sql`key`)
      .orderBy('cost_usd', 'desc')
      .orderBy('key')
      .limit(usageReportRowLimit)
      .execute();
    // PostgreSQL hands count(*) and sums of integers back as bigint/numeric text: normalize.
    return rows.map((row) => ({
      key: row.key,
      calls: Number(row.calls),
      failedCalls: Number(row.failed_calls),
      inputTokens: Number(row.input_tokens),
      cacheReadTokens: Number(row.cache_read_tokens),
      cacheWriteTokens: Number(row.cache_write_tokens),
      outputTokens: Number(row.output_tokens),
      costUsd: Number(row.cost_usd),
    }));
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
      cacheReadTokens: row.cache_read_tokens,
      cacheWriteTokens: row.cache_write_tokens,
      outputTokens: row.output_tokens,
      costUsd: Number(row.cost_usd),
      latencyMs: row.latency_ms,
      status: row.status as UsageStatus,
      httpStatus: row.http_status,
      errorCode: row.error_code ?? undefined,
    };
  }
}

/**
 * Rows per INSERT. PostgreSQL takes at most 65 535 parameters a statement (17 a usage row): the
 * batches the proxy writes are 500 events, but after an outage the events kept meanwhile (up to
 * 10 000) are written at once, and one statement for all of them failed on every retry, for good.
 */
const rowsPerStatement = 1000;

function chunksOf<T>(rows: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    chunks.push(rows.slice(start, start + rowsPerStatement));
  }
  return chunks;
}

function scopeKey(scope: SpendScope): [UsageSpendScope, string] {
  return 'tokenId' in scope ? ['token', scope.tokenId] : ['subject', scope.subject];
}
