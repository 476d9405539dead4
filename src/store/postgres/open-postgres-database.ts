import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { LoomError } from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { runMigrations } from '../run-migrations.js';
import { translateDriverErrors } from '../translate-driver-errors.js';
import { classifyPostgresError } from './classify-postgres-error.js';
import { describePostgresTarget } from './describe-postgres-target.js';

/** Pool settings: a dead server must fail a call in bounded time rather than hang a job. */
export const postgresPoolSettings = {
  max: 10,
  connectionTimeoutMillis: 10_000,
  idleTimeoutMillis: 30_000,
  // TCP keepalive notices a peer that vanished without closing the connection (network partition).
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
};

/** Opens a pg pool on `databaseUrl` behind Kysely and migrates the database. */
export async function openPostgresDatabase(
  databaseUrl: string,
  logger: Logger,
): Promise<Kysely<LoomDatabase>> {
  const target = describePostgresTarget(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, ...postgresPoolSettings });
  watchConnectionErrors(pool, logger, target);
  const db = new Kysely<LoomDatabase>({
    dialect: translateDriverErrors(new PostgresDialect({ pool }), classifyPostgresError),
  });
  try {
    await runMigrations(db, { dialect: 'postgres', logger });
  } catch (error) {
    await db.destroy().catch(() => undefined);
    const cause = classifyPostgresError(error);
    throw new LoomError(cause.code, `cannot open the store at ${target}: ${cause.message}`, {
      cause,
      details: { ...cause.details, target },
      retryable: cause.retryable,
    });
  }
  logger.debug({ dialect: 'postgres', target }, 'store opened');
  return db;
}

/**
 * A connection that dies (server restart, network cut) makes pg emit `error` on its client and, when
 * the client is idle, on the pool. Unhandled, either event crashes the process; the pool already
 * drops the broken client and the query that was running fails on its own, so logging is enough.
 * Every client gets a listener because pg emits on a checked-out client too (between the statements
 * of a transaction), where the pool's idle listener is not attached.
 */
function watchConnectionErrors(pool: pg.Pool, logger: Logger, target: string): void {
  const logged = new WeakSet<Error>();
  const log = (error: Error): void => {
    if (logged.has(error)) return;
    logged.add(error);
    logger.warn({ err: error, target }, 'PostgreSQL connection lost; the pool will open a new one');
  };
  pool.on('error', log);
  pool.on('connect', (client) => client.on('error', log));
}
