/**
 * The usage report (`GET /api/usage`, `loom usage`) on a busy install: 1 million metered calls over
 * 30 days (200 subjects, 4 models, 20 000 jobs), then each report timed 5 times, p50 and max.
 *
 *   node --import tsx bench/usage/run-usage-bench.ts [--adapters sqlite,postgres] [--events N]
 *
 * PostgreSQL: a throwaway `loom_bench_*` database on LOOM_BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped at the end; SQLite: a temporary directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { UsageEvent, UsageGrouping } from '../../src/proxy/index.js';
import { openStore, type OpenStoreOptions } from '../../src/store/index.js';
import { createBenchDatabase } from '../support/bench-postgres.js';

const { values } = parseArgs({
  options: {
    adapters: { type: 'string', default: 'sqlite,postgres' },
    events: { type: 'string', default: '1000000' },
  },
});
const eventCount = Number(values.events);
const day = 86_400_000;
const models = ['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-6', 'gpt-4.1'];
const reports: Array<{ days: number; by: UsageGrouping }> = [
  { days: 30, by: 'subject' },
  { days: 30, by: 'job' },
  { days: 7, by: 'model' },
  { days: 1, by: 'job' },
];

console.log(`## Usage report: ${eventCount.toLocaleString('en-US')} metered calls over 30 days\n`);
console.log('| adapter | window | by | rows | p50 ms | max ms |');
console.log('|---|---|---|---:|---:|---:|');
const loads: string[] = [];
for (const adapter of values.adapters.split(',')) {
  if (adapter !== 'sqlite' && adapter !== 'postgres') throw new Error(`unknown adapter ${adapter}`);
  const target = await createTarget(adapter);
  try {
    const store = await openStore(target.options);
    try {
      const started = performance.now();
      const now = Date.now();
      for (let first = 0; first < eventCount; first += 500) {
        const batch: UsageEvent[] = [];
        for (let n = first; n < Math.min(first + 500, eventCount); n += 1) batch.push(usageEvent(n, now));
        await store.usage.recordMany(batch);
      }
      const seconds = (performance.now() - started) / 1000;
      loads.push(
        `${adapter}: loaded in ${seconds.toFixed(1)} s (${Math.round(eventCount / seconds)} events/s)`,
      );
      for (const report of reports) {
        const times: number[] = [];
        let rows = 0;
        for (let round = 0; round < 5; round += 1) {
          const begin = performance.now();
          const answer = await store.usage.report({
            since: new Date(Date.now() - report.days * day),
            until: new Date(),
            by: report.by,
          });
          times.push(performance.now() - begin);
          rows = answer.length;
        }
        times.sort((a, b) => a - b);
        console.log(
          `| ${adapter} | ${report.days} d | ${report.by} | ${rows} | ${times[2]?.toFixed(1)} | ${times[4]?.toFixed(1)} |`,
        );
      }
    } finally {
      await store.close();
    }
  } finally {
    await target.cleanup();
  }
}
console.log(`\n${loads.join('; ')}`);

/** Spread evenly over the last 30 days; 1 in 50 failed; a third outside any job. */
function usageEvent(n: number, now: number): UsageEvent {
  return {
    at: new Date(now - 30 * day + (n / eventCount) * 30 * day),
    subject: `user-${n % 200}`,
    tokenId: `jti-${n % 5000}`,
    jobId: n % 3 === 0 ? undefined : `job-${n % 20_000}`,
    provider: n % 4 === 3 ? 'openai' : 'anthropic',
    model: models[n % 4] ?? 'gpt-4.1',
    route: 'stream',
    inputTokens: 1000 + (n % 100),
    cacheReadTokens: n % 2 === 0 ? 800 : 0,
    cacheWriteTokens: 0,
    outputTokens: 100,
    costUsd: 0.005,
    latencyMs: 900,
    status: n % 50 === 0 ? 'error' : 'ok',
    httpStatus: 200,
    errorCode: undefined,
  };
}

async function createTarget(
  adapter: 'sqlite' | 'postgres',
): Promise<{ options: OpenStoreOptions; cleanup: () => Promise<unknown> }> {
  if (adapter === 'sqlite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'loom-usage-bench-'));
    return { options: { dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const database = await createBenchDatabase();
  return { options: { dataDir: '', databaseUrl: database.url }, cleanup: () => database.drop() };
}
