/**
 * The `chores-sync` job: after a push to a default branch or an installation change, sync (or
 * remove) the chores of the named repositories, or of every repository of the installation.
 * Failing repositories are retried as a whole job (the sync is idempotent); a repository whose
 * file is invalid is not a failure (it got its check run).
 */
import type { Queue } from 'bullmq';
import type { Store } from '../../../src/store/index.js';
import type { JobProcessor } from '../../../queue/job-processor.js';
import type { ChoresGithubApi, InstallationRepository } from './chores-github-api.js';
import { removeRepositoryChores, syncRepositoryChores } from './sync-repository-chores.js';

export interface ChoresSyncProcessorDeps {
  github: ChoresGithubApi;
  queue: Queue;
  store: Pick<Store, 'chores'>;
}

export function createChoresSyncProcessor(deps: ChoresSyncProcessorDeps): JobProcessor<'chores-sync'> {
  return async (payload, context) => {
    if (payload.mode === 'remove') {
      const removed: Record<string, string[]> = {};
      const repositories = payload.repositories ?? [
        ...new Set(
          (await deps.store.chores.listChores())
            .filter((chore) => chore.installationId === payload.installationId)
            .map((chore) => chore.repository),
        ),
      ];
      for (const repository of repositories) {
        removed[repository] = await removeRepositoryChores({
          ...deps,
          installationId: payload.installationId,
          repository,
        });
      }
      return { removed };
    }
    const client = await deps.github.forInstallation(payload.installationId);
    const targets: Array<Pick<InstallationRepository, 'owner' | 'repo'> & { defaultBranch?: string }> =
      payload.repositories?.map((fullName) => {
        const [owner = '', repo = ''] = fullName.split('/');
        return { owner, repo };
      }) ?? (await client.listRepositories());
    const results: Record<string, string> = {};
    for (const target of targets) {
      const result = await syncRepositoryChores({
        client,
        queue: deps.queue,
        store: deps.store,
        installationId: payload.installationId,
        repository: { owner: target.owner, repo: target.repo },
        ...(target.defaultBranch === undefined ? {} : { defaultBranch: target.defaultBranch }),
        ...(payload.headSha === undefined ? {} : { headSha: payload.headSha }),
        logger: context.logger,
      });
      results[`${target.owner}/${target.repo}`] = result.status;
    }
    return { results };
  };
}
