/** Everything one attempt of a run carries between its phases, whatever surface it came from. */
import type { AgentRunPayload } from '../../../queue/job-contracts.js';
import type { JobContext } from '../../../queue/job-processor.js';
import type { RepositoryMirror } from '../../../src/git/index.js';
import type { Logger } from '../../../src/logging/index.js';
import type { TrackingReporter } from './create-tracking-reporter.js';
import type { GithubWorkerDeps } from './github-worker-deps.js';
import type { GithubInstallationClient, RepositoryName } from './github-worker-api.js';
import type { RunJournal } from './run-journal.js';
import type { WorkTarget } from './work-target.js';

export type GithubOrigin = NonNullable<AgentRunPayload['github']>;

export interface GithubRunScope {
  deps: GithubWorkerDeps;
  payload: AgentRunPayload;
  /** The surface the request came from: planning, steering, PR text and the final answer. */
  target: WorkTarget;
  context: JobContext;
  runId: string;
  logger: Logger;
  client: GithubInstallationClient;
  repository: RepositoryName;
  /** The app's slug (its bot account commits the work). */
  appSlug: string;
  journal: RunJournal;
  reporter: TrackingReporter;
  mirror: RepositoryMirror;
  /** The request's budget in USD (`budget=$N`, else the default). */
  budgetUsd: number;
}
