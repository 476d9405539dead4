/**
 * Start-up reconcile: every repository of every installation is synced, so schedules match the
 * files even after missed webhooks. Failures are logged and skipped, never fatal. Chores of
 * repositories no installation reaches any more are unscheduled, but only after a complete listing
 * (a failed listing must not unschedule anything).
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../../../src/logging/index.js';
import type { Store } from '../../../src/store/index.js';
import { listChoreSchedules } from '../../../queue/chores/index.js';
import type { ChoresGithubApi } from './chores-github-api.js';
import { removeRepositoryChores, syncRepositoryChores } from './sync-repository-chores.js';

export interface ReconcileAllChoresDeps {
  github: ChoresGithubApi;
  queue: Queue;
  store: Pick<Store, 'chores'>;
  logger: Logger;
}

export interface ReconcileAllChoresReport {
  synced: string[];
  invalid: string[];
  failed: string[];
  removed: string[];
}

export async function reconcileAllChores(deps: ReconcileAllChoresDeps): Promise<ReconcileAllChoresReport> {
  const logger = deps.logger.child({ component: 'chores-reconcile' });
  const report: ReconcileAllChoresReport = { synced: [], invalid: [], failed: [], removed: [] };
  const reached = new Set<string>();
  let complete = true;
  let installations: number[];
  try {
    installations = await deps.github.listInstallations();
  } catch (error) {
    logger.warn({ err: error }, 'chores: could not list the app installations; schedules unchanged');
    return report;
  }
  for (const installationId of installations) {
    try {
      const client = await deps.github.forInstallation(installationId);
      for (const repository of await client.listRepositories()) {
        const fullName = `${repository.owner}/${repository.repo}`;
        reached.add(fullName);
        try {
          const result = await syncRepositoryChores({
            client,
            queue: deps.queue,
            store: deps.store,
            installationId,
            repository,
            defaultBranch: repository.defaultBranch,
            logger,
          });
          (result.status === 'synced' ? report.synced : report.invalid).push(fullName);
        } catch (error) {
          report.failed.push(fullName);
          logger.warn({ err: error, repository: fullName }, 'chores: could not sync a repository');
        }
      }
    } catch (error) {
      complete = false;
      logger.warn({ err: error, installationId }, 'chores: could not list an installation’s repositories');
    }
  }
  if (complete) await removeUnreached(deps, reached, report, logger);
  logger.info(report, 'chores reconciled');
  return report;
}

async function removeUnreached(
  deps: ReconcileAllChoresDeps,
  reached: Set<string>,
  report: ReconcileAllChoresReport,
  logger: Logger,
): Promise<void> {
  const stored = await deps.store.chores.listChores();
  const scheduled = await listChoreSchedules(deps.queue);
  const known = new Map<string, number>();
  for (const chore of stored) known.set(chore.repository, chore.installationId);
  for (const schedule of scheduled) if (!known.has(schedule.repository)) known.set(schedule.repository, 0);
  for (const [repository, installationId] of known) {
    if (reached.has(repository)) continue;
    try {
      await removeRepositoryChores({ queue: deps.queue, store: deps.store, installationId, repository });
      report.removed.push(repository);
    } catch (error) {
      logger.warn({ err: error, repository }, 'chores: could not unschedule an unreachable repository');
    }
  }
}
