import { Migrator, type Kysely, type Migration } from 'kysely';
import { LoomError, isLoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { loomMigrations, type LoomMigration } from './migrations/index.js';
import type { StoreDialect } from './store-dialect.js';

/** Where Kysely keeps the names of the migrations that ran, and its lock row. */
export const migrationTableName = 'loom_migration';
export const migrationLockTableName = 'loom_migration_lock';

export interface RunMigrationsOptions {
  dialect: StoreDialect;
  logger: Logger;
  /** Defaults to every migration of Loom; tests pass their own. */
  migrations?: Readonly<Record<string, LoomMigration>>;
}

/**
 * Brings the schema up to date with Kysely's Migrator and an in-code provider (no files are read at
 * run time, so this works the same from sources and from a bundle). Returns the names applied now.
 * Concurrent callers are serialized by the dialect: PostgreSQL through the Migrator's advisory lock,
 * SQLite through `withSqliteMigrationLock` around this call.
 */
export async function runMigrations<Database>(
  db: Kysely<Database>,
  options: RunMigrationsOptions,
): Promise<string[]> {
  const { dialect, logger } = options;
  const migrations = options.migrations ?? loomMigrations;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => bindDialect(migrations, dialect) },
    migrationTableName,
    migrationLockTableName,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const applied = results
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    if (isLoomError(error) && error.code === 'dependency_unavailable') throw error;
    throw new LoomError('internal', `store migration ${failed ?? '(setup)'} failed: ${messageOf(error)}`, {
      cause: error,
      details: { dialect, migration: failed },
    });
  }
  if (applied.length > 0) logger.info({ dialect, migrations: applied }, 'store migrations applied');
  return applied;
}

function bindDialect(migrations: Readonly<Record<string, LoomMigration>>, dialect: StoreDialect) {
  const bound: Record<string, Migration> = {};
  for (const [name, migration] of Object.entries(migrations)) {
    bound[name] = { up: (db) => migration.up(db, dialect) };
  }
  return bound;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
