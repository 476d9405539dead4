import type { LoomMigration } from './loom-migration.js';
import { columnTypes } from './column-types.js';

/**
 * The job a request became, stored with its ledger row when it is accepted: BullMQ job name, the
 * validated payload and the job options (job id, retries, retention). The outbox reconciler
 * re-creates the job from them when Redis lost it (RELIABILITY 29, 30). Rows recorded before this
 * migration keep null columns: they are handled as before (a stale `received` row is forgotten).
 */
export const requestJobs: LoomMigration = {
  async up(db, dialect) {
    const types = columnTypes(dialect);
    await db.schema.alterTable('requests').addColumn('job_name', 'text').execute();
    await db.schema.alterTable('requests').addColumn('job_payload', types.json).execute();
    await db.schema.alterTable('requests').addColumn('job_options', types.json).execute();
  },
};
