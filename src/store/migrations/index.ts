import type { LoomMigration } from './loom-migration.js';
import { requestsAndRuns } from './0001-requests-and-runs.js';
import { proxyUsageAndRevocations } from './0002-proxy-usage-and-revocations.js';
import { threads } from './0003-threads.js';
import { slackState } from './0004-slack-state.js';
import { chores } from './0005-chores.js';
import { threadSearchTuning } from './0006-thread-search-tuning.js';
import { requestJobs } from './0007-request-jobs.js';
import { threadSearchWindows } from './0008-thread-search-windows.js';
import { sqliteSearchFacets } from './0009-sqlite-search-facets.js';
import { postgresSearchTerms } from './0010-postgres-search-terms.js';
import { usageSpendTotals } from './0011-usage-spend-totals.js';
import { usageEventsAt } from './0012-usage-events-at.js';
import { usageCacheTokens } from './0013-usage-cache-tokens.js';

export type { LoomMigration } from './loom-migration.js';
export { columnTypes } from './column-types.js';
export type { ColumnTypes } from './column-types.js';

/**
 * Every migration, by name. Names sort in the order they run (Kysely's Migrator sorts them), so a new
 * one takes the next number: `0002-…`. A migration that has run is never edited or renamed.
 */
export const loomMigrations: Readonly<Record<string, LoomMigration>> = {
  '0001-requests-and-runs': requestsAndRuns,
  '0002-proxy-usage-and-revocations': proxyUsageAndRevocations,
  '0003-threads': threads,
  '0004-slack-state': slackState,
  '0005-chores': chores,
  '0006-thread-search-tuning': threadSearchTuning,
  '0007-request-jobs': requestJobs,
  '0008-thread-search-windows': threadSearchWindows,
  '0009-sqlite-search-facets': sqliteSearchFacets,
  '0010-postgres-search-terms': postgresSearchTerms,
  '0011-usage-spend-totals': usageSpendTotals,
  '0012-usage-events-at': usageEventsAt,
  '0013-usage-cache-tokens': usageCacheTokens,
};
