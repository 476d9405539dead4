import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { LoomError } from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { runMigrations } from '../run-migrations.js';
import { translateDriverErrors } from '../translate-driver-errors.js';
import { classifySqliteError } from './classify-sqlite-error.js';
import { openSqliteConnection } from './open-sqlite-connection.js';
import { withSqliteMigrationLock } from './with-sqlite-migration-lock.js';

/** The file name of the embedded store inside the data directory. */
export const sqliteFileName = 'loom.db';

/** The embedded store's file, absolute, so in-process queues see one key per file however dataDir was spelled. */
export function sqliteFilePath(dataDir: string): string {
  return join(resolve(dataDir), sqliteFileName);
}

/** Opens (creating when needed) `<dataDir>/loom.db` and migrates it. */
export async function openSqliteDatabase(dataDir: string, logger: Logger): Promise<Kysely<LoomDatabase>> {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new LoomError('config_invalid', `cannot create the data directory ${dataDir}: ${String(error)}`, {
      cause: error,
      details: { dataDir },
    });
  }
  const file = sqliteFilePath(dataDir);
  const database = openSqliteConnection(file);
  const db = new Kysely<LoomDatabase>({
    dialect: translateDriverErrors(new SqliteDialect({ database }), classifySqliteError),
  });
  try {
    await withSqliteMigrationLock(database, () => runMigrations(db, { dialect: 'sqlite', logger }));
  } catch (error) {
    await db.destroy();
    throw classifySqliteError(error);
  }
  logger.debug({ dialect: 'sqlite', file }, 'store opened');
  return db;
}
