/**
 * What a run's pipeline (plan → agent in a weaver → push → pull request → final report) needs to
 * know about the surface a request came from. The GitHub issue/PR target, the Slack thread target
 * and the chore target implement it, so every surface gets the same branch, PR and journal
 * behaviour and differs only where it must: where the work starts, how the PR and commit are
 * described, how steering reaches a running agent, and where the final answer goes.
 */
import type { SteeringQueue } from '../../../src/agent/index.js';
import type { ThreadSource } from '../../../src/threads/index.js';
import type { GithubRunScope } from './github-run-scope.js';
import type { PlannedWork } from './plan-work.js';
import type { FinalReport } from './render-final-report.js';
import type { AgentOutcome, WorkPlan } from './run-journal.js';

export interface SteeringWatch {
  stop(): Promise<void>;
}

export interface CommitText {
  subject: string;
  /** `owner/repo#12`, a Slack thread link, `chore nightly-deps`. */
  reference: string;
  coAuthor?: { name: string; email: string };
}

export interface PullRequestDraft {
  title: string;
  body: string;
  /** Applied when the PR is created (chores). */
  labels?: string[];
  reviewers?: string[];
}

export interface WorkTarget {
  /** Serializes runs of one conversation across workers. */
  readonly lockKey: string;
  /** The conversation whose transcript the run continues and extends. */
  readonly threadSource: ThreadSource;
  /**
   * Each run starts without the earlier runs' transcript (a chore does the same job afresh every
   * time); the run is still recorded in the thread.
   */
  readonly freshStart?: boolean;
  /** Who asked: the model token's subject and the thread's owner (`github:login`, `slack:U1`, …). */
  readonly subject: string;
  /** Fetches the mirror, picks the branch and writes the prompt's context. */
  plan(scope: GithubRunScope): Promise<PlannedWork>;
  /** `emailDomain`: the host's noreply domain, for a GitHub requester's co-author address. */
  commitText(plan: WorkPlan, done: boolean, emailDomain: string): CommitText;
  pullRequestText(input: { plan: WorkPlan; runId: string; outcome: AgentOutcome }): PullRequestDraft;
  /** Starts passing messages that arrive while the agent works into `steering`; `onStop` ends it. */
  watchSteering(
    scope: GithubRunScope,
    input: { steering: SteeringQueue; onStop(requester: string): void },
  ): SteeringWatch;
  /** Tells the requester how the run ended, where the surface answers from the pipeline. */
  reportFinal(scope: GithubRunScope, report: FinalReport): Promise<void>;
}
