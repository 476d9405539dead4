import { LoomError } from '../errors/index.js';
import { createSilentLogger, type Logger } from '../logging/index.js';
import { KyselyStore } from './kysely-store.js';
import { openPostgresDatabase } from './postgres/open-postgres-database.js';
import { openSqliteDatabase, sqliteFilePath } from './sqlite/open-sqlite-database.js';
import { createThreadedUsageWriter } from './sqlite/threaded-usage-writer.js';
import type { Store } from './store-types.js';
import { postgresCodec, sqliteCodec } from './value-codec.js';

export interface OpenStoreOptions {
  /** Data directory: the SQLite file is `<dataDir>/loom.db` (created with its parents). */
  dataDir: string;
  /** A `postgres://` or `postgresql://` URL selects PostgreSQL; unset selects SQLite. */
  databaseUrl?: string;
  logger?: Logger;
}

/**
 * Opens the store and brings its schema up to date. SQLite (WAL, synchronous=FULL) in the data
 * directory unless `databaseUrl` is a PostgreSQL URL. Opening the same database from several
 * processes at once is safe: migrations are serialized and run once.
 *
 * Throws `LoomError('dependency_unavailable')` (retryable) when the database cannot be reached,
 * `config_invalid` for a URL that is not PostgreSQL or a data directory that cannot be created.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const logger = options.logger ?? createSilentLogger();
  const { databaseUrl } = options;
  if (databaseUrl === undefined || databaseUrl === '') {
    const db = await openSqliteDatabase(options.dataDir, logger);
    return new KyselyStore('sqlite', db, sqliteCodec, {
      usageWriter: createThreadedUsageWriter(sqliteFilePath(options.dataDir), { logger }),
    });
  }
  if (!isPostgresUrl(databaseUrl)) {
    throw new LoomError('config_invalid', 'DATABASE_URL must be a postgres:// or postgresql:// URL', {
      details: { protocol: protocolOf(databaseUrl) },
    });
  }
  return new KyselyStore('postgres', await openPostgresDatabase(databaseUrl, logger), postgresCodec);
}

function isPostgresUrl(value: string): boolean {
  const protocol = protocolOf(value);
  return protocol === 'postgres:' || protocol === 'postgresql:';
}

function protocolOf(value: string): string | undefined {
  try {
    return new URL(value).protocol;
  } catch {
    return undefined;
  }
}
