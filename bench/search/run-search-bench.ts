/**
 * Search benchmark: loads a generated corpus (1 million messages by default) into the SQLite and
 * PostgreSQL stores through the threads repository, then measures ranked top-20 searches (the
 * repository's `search`, snippets and thread summaries included). Goal: p99 ≤ 20 ms.
 *
 *   node --import tsx bench/search/run-search-bench.ts [--messages N] [--queries N]
 *     [--adapters sqlite,postgres] [--database-url postgres://…] [--optimize] [--keep]
 *     [--reuse <sqlite data dir | postgres url>]
 *
 * PostgreSQL: a throwaway `loom_bench_*` database on LOOM_BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), dropped at the end. `--keep` keeps the loaded
 * database and prints where; `--reuse` times a kept one again (one adapter, same --messages) without
 * loading. Prints Markdown, with the load average during the queries.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';
import { createBenchDatabase, defaultBenchAdminUrl, withBenchAdmin } from '../support/bench-postgres.js';
import { createSearchCorpus, messagesPerThread } from './search-corpus.js';
import { createBenchQueries, queryKinds, type BenchQuery } from './search-queries.js';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '500' },
    adapters: { type: 'string', default: 'sqlite,postgres' },
    'database-url': { type: 'string' },
    optimize: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    reuse: { type: 'string' },
  },
});
const messageCount = Number(values.messages);
const queryCount = Number(values.queries);
const adminUrl = values['database-url'] ?? defaultBenchAdminUrl;
const threadCount = Math.ceil(messageCount / messagesPerThread);

interface AdapterResult {
  adapter: string;
  loadSeconds: number;
  sizeBytes: number;
  byKind: Map<string, number[]>;
  hitsByKind: Map<string, number[]>;
  /** 1-minute load average before and after the timed queries. */
  loadAverage: [number, number];
}

const results: AdapterResult[] = [];
for (const adapter of values.adapters.split(',').map((name) => name.trim())) {
  if (adapter !== 'sqlite' && adapter !== 'postgres') throw new Error(`unknown adapter ${adapter}`);
  results.push(await benchAdapter(adapter));
}
process.stdout.write(report(results));

async function benchAdapter(adapter: 'sqlite' | 'postgres'): Promise<AdapterResult> {
  const target =
    values.reuse === undefined ? await createTarget(adapter) : reuseTarget(adapter, values.reuse);
  const store = await openStore(target.options);
  try {
    const corpus = createSearchCorpus(42);
    const started = performance.now();
    const threads = corpus.threads(threadCount);
    if (values.reuse === undefined) await load(store, threads, adapter === 'postgres' ? 4 : 1, adapter);
    else for (const thread of threads) void thread; // the queries draw branches and commits from it
    const loadSeconds = values.reuse === undefined ? (performance.now() - started) / 1000 : Number.NaN;
    await settle(target.options.databaseUrl, target.file);
    const queries = createBenchQueries(corpus, queryCount);
    for (const query of createBenchQueries(corpus, 40, 99)) await search(store, query); // warm-up
    const byKind = new Map<string, number[]>();
    const hitsByKind = new Map<string, number[]>();
    const loadBefore = loadavg()[0] ?? 0;
    for (const query of queries) {
      const begin = performance.now();
      const hits = await search(store, query);
      push(byKind, query.kind, performance.now() - begin);
      push(hitsByKind, query.kind, hits);
    }
    const loadAverage: [number, number] = [loadBefore, loadavg()[0] ?? 0];
    const sizeBytes = await target.size(store);
    return { adapter, loadSeconds, sizeBytes, byKind, hitsByKind, loadAverage };
  } finally {
    await store.close();
    // A reused database stays as it was; a new one is dropped unless kept.
    if (values.keep && values.reuse === undefined)
      process.stderr.write(`[${adapter}] kept: ${target.options.databaseUrl ?? target.file}\n`);
    else if (values.reuse === undefined) await target.cleanup();
  }
}

async function search(store: Store, query: BenchQuery): Promise<number> {
  return (await store.threads.search(query.text, query.filters, { limit: 20 })).hits.length;
}

async function load(
  store: Store,
  threads: Iterable<Parameters<Store['threads']['create']>[0]>,
  concurrency: number,
  adapter: string,
) {
  const iterator = threads[Symbol.iterator]();
  let done = 0;
  const worker = async () => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      await store.threads.create(next.value);
      done += 1;
      if (done % Math.max(1, Math.floor(threadCount / 20)) === 0) {
        process.stderr.write(
          `[${adapter}] ${done * messagesPerThread} / ${threadCount * messagesPerThread} messages\n`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * PostgreSQL: VACUUM ANALYZE, as autovacuum would after a bulk load: statistics for the planner, and
 * the BRIN ranges summarized (the search windows need them; autosummarize keeps up with steady
 * inserts but drops requests during a bulk load, and unsummarized ranges match every window). SQLite with `--optimize`: merge the FTS5 segments.
 */
async function settle(databaseUrl: string | undefined, sqliteFile: string | undefined): Promise<void> {
  if (databaseUrl !== undefined) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query('vacuum analyze');
    await client.end();
    return;
  }
  if (!values.optimize) return;
  const { default: Database } = await import('better-sqlite3');
  const database = new Database(sqliteFile);
  database.exec("insert into thread_search_fts(thread_search_fts) values ('optimize')");
  database.close();
}

/** A database loaded by an earlier run with `--keep`. */
function reuseTarget(adapter: 'sqlite' | 'postgres', where: string) {
  const postgres = adapter === 'postgres';
  const file = postgres ? undefined : join(where, 'loom.db');
  return {
    options: postgres ? { dataDir: '', databaseUrl: where } : { dataDir: where },
    file,
    size: async () => Number.NaN,
    cleanup: async () => undefined,
  };
}

async function createTarget(adapter: 'sqlite' | 'postgres') {
  if (adapter === 'sqlite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'loom-search-bench-'));
    const file = join(dataDir, 'loom.db');
    return {
      options: { dataDir },
      file,
      size: async () => (await stat(file)).size + (await stat(`${file}-wal`).catch(() => ({ size: 0 }))).size,
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await createBenchDatabase('', adminUrl);
  return {
    options: { dataDir: '', databaseUrl: database.url },
    file: undefined,
    size: async (store: Store) => {
      void store;
      return withBenchAdmin(async (client) => {
        await client.query('select 1');
        const { rows } = await client.query<{ size: string }>('select pg_database_size($1) as size', [
          database.name,
        ]);
        return Number(rows[0]?.size ?? 0);
      }, adminUrl);
    },
    cleanup: () => database.drop(),
  };
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

function report(all: AdapterResult[]): string {
  const lines = [
    `## Thread search: ${messageCount.toLocaleString('en')} messages in ${threadCount.toLocaleString('en')} threads, top-20, ${queryCount} queries`,
    '',
    '| adapter | query | p50 ms | p99 ms | max ms | mean hits |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const result of all) {
    const everything = [...result.byKind.values()].flat();
    for (const kind of [...queryKinds, 'all']) {
      const times = kind === 'all' ? everything : (result.byKind.get(kind) ?? []);
      const hits =
        kind === 'all' ? [...result.hitsByKind.values()].flat() : (result.hitsByKind.get(kind) ?? []);
      const mean = hits.reduce((sum, value) => sum + value, 0) / Math.max(1, hits.length);
      lines.push(
        `| ${result.adapter} | ${kind === 'all' ? '**all**' : kind} | ${percentile(times, 0.5).toFixed(2)} | ${percentile(times, 0.99).toFixed(2)} | ${Math.max(...times).toFixed(2)} | ${mean.toFixed(1)} |`,
      );
    }
  }
  lines.push(
    '',
    '| adapter | load (s) | messages/s | size (MB) | load average (1 min) during queries |',
    '|---|---:|---:|---:|---|',
  );
  for (const result of all) {
    lines.push(
      `| ${result.adapter} | ${result.loadSeconds.toFixed(1)} | ${Math.round((threadCount * messagesPerThread) / result.loadSeconds)} | ${(result.sizeBytes / 1e6).toFixed(0)} | ${result.loadAverage.map((value) => value.toFixed(1)).join(' → ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
