/**
 * Keeps ONE "Loom chores" issue per repository current: the recorded issue is edited; without one,
 * an open issue carrying the marker is adopted, else one is created. Concurrent runs may both
 * create; the store's first claim wins and the loser closes its own copy.
 */
import { isLoomError } from '../../../src/errors/index.js';
import type { Store } from '../../../src/store/index.js';
import type { ChoresInstallationClient } from './chores-github-api.js';
import {
  choresDashboardMarker,
  choresDashboardTitle,
  renderChoresDashboard,
} from './render-chores-dashboard.js';

export interface UpdateChoresDashboardInput {
  client: ChoresInstallationClient;
  store: Pick<Store, 'chores'>;
  /** `owner/name`. */
  repository: string;
  now?: Date;
}

/** Renders and writes the dashboard; returns its issue number. */
export async function updateChoresDashboard(input: UpdateChoresDashboardInput): Promise<number> {
  const { client, store, repository } = input;
  const [owner = '', repo = ''] = repository.split('/');
  const target = { owner, repo };
  const body = renderChoresDashboard({
    repository,
    chores: await store.chores.listChores(repository),
    runs: await store.chores.listRuns({ repository, limit: 500 }),
    now: input.now ?? new Date(),
  });
  const recorded = await store.chores.getDashboardIssue(repository);
  if (recorded !== undefined) {
    try {
      await client.updateIssue(target, recorded, { body });
      return recorded;
    } catch (error) {
      if (!isLoomError(error, 'not_found')) throw error;
      await store.chores.forgetDashboardIssue(repository);
    }
  }
  const found =
    (await client.findIssueWithMarker(target, choresDashboardMarker)) ??
    (await client.createIssue(target, { title: choresDashboardTitle, body }));
  const winner = await store.chores.claimDashboardIssue(repository, found.number);
  if (winner !== found.number) {
    await client.updateIssue(target, found.number, { state: 'closed' });
  }
  await client.updateIssue(target, winner, { body });
  return winner;
}
