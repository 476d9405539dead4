/**
 * One repository's chores from its default branch to the store and the queue: read
 * `.loom/chores.yml`, validate it, and reconcile. An invalid file changes nothing (the last valid
 * chores keep running) and, when the sync follows a push, gets a failing check run on the pushed
 * commit naming each line; a missing file unschedules every chore of the repository.
 */
import type { Queue } from 'bullmq';
import {
  choresFilePath,
  formatChoreProblems,
  parseChoresFile,
  type ChoreProblem,
} from '../../../src/chores/index.js';
import type { Logger } from '../../../src/logging/index.js';
import type { Store } from '../../../src/store/index.js';
import { reconcileChoreSchedules } from '../../../queue/chores/index.js';
import type { ChoresInstallationClient, ChoresRepository } from './chores-github-api.js';
import { updateChoresDashboard } from './update-chores-dashboard.js';

/** The check run's name on the commit. */
export const choresCheckName = 'Loom chores';

export interface SyncRepositoryChoresInput {
  client: ChoresInstallationClient;
  queue: Queue;
  store: Pick<Store, 'chores'>;
  installationId: number;
  repository: ChoresRepository;
  /** Known from the event or the repository listing; read from GitHub when absent. */
  defaultBranch?: string;
  /** The pushed commit, when a push caused the sync. */
  headSha?: string;
  logger: Logger;
}

export type SyncRepositoryChoresResult =
  | { status: 'synced'; chores: string[]; upserted: string[]; removed: string[] }
  | { status: 'invalid'; problems: ChoreProblem[] };

export async function syncRepositoryChores(
  input: SyncRepositoryChoresInput,
): Promise<SyncRepositoryChoresResult> {
  const { client, repository } = input;
  const fullName = `${repository.owner}/${repository.repo}`;
  const branch = input.defaultBranch ?? (await client.getDefaultBranch(repository));
  const text = await client.readFile(repository, choresFilePath, branch);
  const parsed = parseChoresFile(text ?? '');
  if (!parsed.ok) {
    input.logger.warn(
      { repository: fullName, problems: parsed.problems },
      'invalid .loom/chores.yml; schedules unchanged',
    );
    if (input.headSha !== undefined)
      await reportInvalidFile(client, repository, input.headSha, parsed.problems);
    return { status: 'invalid', problems: parsed.problems };
  }
  const stored = await input.store.chores.replaceChores(fullName, input.installationId, parsed.chores);
  const schedules = await reconcileChoreSchedules({
    queue: input.queue,
    repository: fullName,
    installationId: input.installationId,
    chores: parsed.chores,
  });
  const changed = stored.added.length + stored.changed.length + stored.removed.length > 0;
  if (
    changed &&
    (parsed.chores.length > 0 || (await input.store.chores.getDashboardIssue(fullName)) !== undefined)
  ) {
    await updateChoresDashboard({ client, store: input.store, repository: fullName }).catch(
      (error: unknown) =>
        input.logger.warn({ err: error, repository: fullName }, 'could not update the chores dashboard'),
    );
  }
  input.logger.info(
    {
      repository: fullName,
      chores: parsed.chores.length,
      upserted: schedules.upserted,
      removed: schedules.removed,
    },
    'chores synced',
  );
  return {
    status: 'synced',
    chores: parsed.chores.map((chore) => chore.name),
    upserted: schedules.upserted,
    removed: schedules.removed,
  };
}

async function reportInvalidFile(
  client: ChoresInstallationClient,
  repository: ChoresRepository,
  headSha: string,
  problems: ChoreProblem[],
): Promise<void> {
  const first = problems[0];
  await client.createCheckRun(repository, {
    name: choresCheckName,
    headSha,
    conclusion: 'failure',
    title: `${choresFilePath} is invalid${first === undefined ? '' : ` (line ${first.line})`}`,
    summary: `Loom did not change the chore schedules: ${problems.length} problem(s) in \`${choresFilePath}\`.`,
    text: `\`\`\`\n${formatChoreProblems(problems)}\n\`\`\``,
    annotations: problems.map((problem) => ({
      path: choresFilePath,
      line: problem.line,
      message: problem.message,
      ...(problem.field === undefined ? {} : { title: problem.field }),
    })),
  });
}

/** Unschedules and forgets every chore of a repository the app can no longer reach. */
export async function removeRepositoryChores(input: {
  queue: Queue;
  store: Pick<Store, 'chores'>;
  installationId: number;
  repository: string;
}): Promise<string[]> {
  await input.store.chores.replaceChores(input.repository, input.installationId, []);
  const result = await reconcileChoreSchedules({ ...input, chores: [] });
  return result.removed;
}
