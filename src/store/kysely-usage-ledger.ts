import type { Insertable, Kysely, Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { ProxyProvider, ProxyRoute, SpendScope, UsageEvent, UsageStatus } from '../proxy/index.js';
import type { LoomDatabase, UsageEventsTable, UsageSpendScope } from './database-schema.js';
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
    const rows = events.map((event) => this.toRow(event));
    const totals = spendTotals(events);
    await this.transaction(this.db, async (trx) => {
      await trx.insertInto('usage_events').values(rows).execute();
      await trx
        .insertInto('usage_spend')
        .values(totals)
        .onConflict((conflict) =>
          conflict.columns(['scope', 'scope_id']).doUpdateSet((eb) => ({
            spent_usd: eb(eb.ref('usage_spend.spent_usd'), '+', eb.ref('excluded.spent_usd')),
          })),
        )
        .execute();
    });
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

function scopeKey(scope: SpendScope): [UsageSpendScope, string] {
  return 'tokenId' in scope ? ['token', scope.tokenId] : ['subject', scope.subject];
}

/** Each token's and each subject's share of a batch, in key order. */
function spendTotals(
  events: readonly UsageEvent[],
): { scope: UsageSpendScope; scope_id: string; spent_usd: number }[] {
  const sums = new Map<string, { scope: UsageSpendScope; scope_id: string; spent_usd: number }>();
  const add = (scope: UsageSpendScope, id: string, cost: number): void => {
    const key = `${scope}\u0000${id}`;
    const total = sums.get(key);
    if (total === undefined) sums.set(key, { scope, scope_id: id, spent_usd: cost });
    else total.spent_usd += cost;
  };
  for (const event of events) {
    add('token', event.tokenId, event.costUsd);
    add('subject', event.subject, event.costUsd);
  }
  return [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, total]) => total);
}
