/**
 * Chores on GitHub: sync of `.loom/chores.yml` into schedules (webhooks, start-up), the chore run
 * handler's bookkeeping (run records, the "Loom chores" dashboard issue, Slack), and the chores API.
 * The work of a run itself is the GitHub worker's `ChoreWorkRunner`. See specs/chores.md.
 */
export type * from './chores-github-api.js';
export { createOctokitChoresApi } from './create-octokit-chores-api.js';
export type { OctokitChoresApiOptions } from './create-octokit-chores-api.js';
export { createChoreAgentRunHandler } from './create-chore-agent-run-handler.js';
export type {
  ChoreAgentRunHandler,
  ChoreAgentRunHandlerDeps,
  ChoreSlackNotifier,
} from './create-chore-agent-run-handler.js';
export { createChoresSyncProcessor } from './create-chores-sync-processor.js';
export type { ChoresSyncProcessorDeps } from './create-chores-sync-processor.js';
export { reconcileAllChores } from './reconcile-all-chores.js';
export type { ReconcileAllChoresDeps, ReconcileAllChoresReport } from './reconcile-all-chores.js';
export { syncRepositoryChores, removeRepositoryChores, choresCheckName } from './sync-repository-chores.js';
export type { SyncRepositoryChoresInput, SyncRepositoryChoresResult } from './sync-repository-chores.js';
export { decideChoresSync, choresEventNames } from './decide-chores-sync.js';
export { handleChoresEvent } from './handle-chores-event.js';
export { createChoresRouter } from './create-chores-router.js';
export type { ChoresRouterDeps } from './create-chores-router.js';
export { choreRunView } from './chore-run-view.js';
export type { ChoreRunView } from './chore-run-view.js';
export {
  renderChoresDashboard,
  choresDashboardMarker,
  choresDashboardTitle,
} from './render-chores-dashboard.js';
export { updateChoresDashboard } from './update-chores-dashboard.js';
export { renderChoreSlackMessage } from './render-chore-slack-message.js';
