/**
 * Throwaway PostgreSQL databases for benchmarks: `loom_bench_<prefix><random>` created on the admin
 * URL (LOOM_BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) and dropped,
 * connections and all, when the run ends.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const defaultBenchAdminUrl =
  process.env.LOOM_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Runs `work` with a client on the admin database. */
export async function withBenchAdmin<T>(
  work: (client: pg.Client) => Promise<T>,
  adminUrl = defaultBenchAdminUrl,
): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(
  prefix = '',
  adminUrl = defaultBenchAdminUrl,
): Promise<BenchDatabase> {
  const name = `loom_bench_${prefix}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await withBenchAdmin((client) => client.query(`create database ${name}`), adminUrl);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await withBenchAdmin(
        (client) => client.query(`drop database if exists ${name} with (force)`),
        adminUrl,
      );
    },
  };
}
