/** How usage events become rows: shared by the Kysely ledger and SQLite's usage-writer thread. */
import type { Insertable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { UsageEvent } from '../proxy/index.js';
import type { UsageEventsTable, UsageSpendScope, UsageSpendTable } from './database-schema.js';
import type { ValueCodec } from './value-codec.js';

/**
 * Ids are UUIDv7 (time first) so a batch's rows land at the right edge of the primary key's B-tree
 * instead of at random pages: a 500-row batch on SQLite committed in 2.0 ms against 3.5-3.9 ms with
 * random UUIDs, on a small table; the gap grows with the table.
 */
export function usageEventRow(event: UsageEvent, codec: ValueCodec): Insertable<UsageEventsTable> {
  return {
    id: uuidv7(),
    at: codec.encodeDate(event.at),
    subject: event.subject,
    token_id: event.tokenId,
    job_id: event.jobId ?? null,
    provider: event.provider,
    model: event.model,
    route: event.route,
    input_tokens: Math.round(event.inputTokens),
    cache_read_tokens: Math.round(event.cacheReadTokens),
    cache_write_tokens: Math.round(event.cacheWriteTokens),
    output_tokens: Math.round(event.outputTokens),
    cost_usd: event.costUsd,
    latency_ms: Math.round(event.latencyMs),
    status: event.status,
    http_status: event.httpStatus,
    error_code: event.errorCode ?? null,
  };
}

/** Each token's and each subject's share of a batch, in key order. */
export function spendTotals(events: readonly UsageEvent[]): UsageSpendTable[] {
  const sums = new Map<string, UsageSpendTable>();
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
