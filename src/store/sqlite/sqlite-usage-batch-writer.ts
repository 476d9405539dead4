import type Database from 'better-sqlite3';
import type { UsageEvent } from '../../proxy/index.js';
import { spendTotals, usageEventRow } from '../usage-rows.js';
import { sqliteCodec } from '../value-codec.js';

const insertEvent = `insert into usage_events (id, at, subject, token_id, job_id, provider, model, route,
  input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, cost_usd, latency_ms, status,
  http_status, error_code)
  values (@id, @at, @subject, @token_id, @job_id, @provider, @model, @route, @input_tokens,
  @cache_read_tokens, @cache_write_tokens, @output_tokens, @cost_usd, @latency_ms, @status,
  @http_status, @error_code)`;

const addSpend = `insert into usage_spend (scope, scope_id, spent_usd) values (@scope, @scope_id, @spent_usd)
  on conflict (scope, scope_id) do update set spent_usd = usage_spend.spent_usd + excluded.spent_usd`;

/**
 * Writes a usage batch (events and running totals, as `KyselyUsageLedger.recordMany` does) in one
 * transaction through two statements prepared once. Building and preparing one multi-row INSERT per
 * batch (17 parameters a row) was half the cost: a 500-row batch took 5-7.5 ms through Kysely and
 * 2.6 ms this way, time the writer thread spends on a core the proxy's callers share.
 */
export function createSqliteUsageBatchWriter(
  database: Database.Database,
): (events: readonly UsageEvent[]) => void {
  const insert = database.prepare(insertEvent);
  const add = database.prepare(addSpend);
  return database.transaction((events: readonly UsageEvent[]) => {
    for (const event of events) insert.run(usageEventRow(event, sqliteCodec));
    for (const total of spendTotals(events)) add.run(total);
  });
}
