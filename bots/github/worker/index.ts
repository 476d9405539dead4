/**
 * The GitHub worker: turns an `agent-run` job from GitHub into a finished run (a branch, a draft PR,
 * a tracking comment and a final comment). See specs/github-worker.md.
 */
export { processGithubAgentRun } from './process-github-agent-run.js';
export type { GithubWorkerDeps, WeaverRequest } from './github-worker-deps.js';
export { defaultProgressIntervalMs, defaultSteeringPollMs } from './github-worker-deps.js';
export { createOctokitWorkerApi } from './create-octokit-worker-api.js';
export type { OctokitWorkerApiOptions } from './create-octokit-worker-api.js';
export type * from './github-worker-api.js';
export { createProxyModelAccess } from './create-proxy-model-access.js';
export type {
  ModelAccess,
  ModelAccessRequest,
  ModelSession,
  ProxyModelAccessOptions,
} from './create-proxy-model-access.js';
export { createMemoryConversationLock } from './conversation-lock.js';
export type { ConversationLock } from './conversation-lock.js';
export { startAgentRunWatchdog } from './start-agent-run-watchdog.js';
export type { AgentRunWatchdog, AgentRunWatchdogOptions } from './start-agent-run-watchdog.js';
export { githubErrorCode } from './github-error.js';
export { workBranchName, wipBranchName, shortSlug } from './branch-names.js';
export { textAfterMention, parseWorkerCommand } from './parse-mention.js';
export type { WorkerCommand } from './parse-mention.js';
export { hasWriteAccess } from './has-write-access.js';
export { runRepositoryWork, parseRepositoryName } from './run-repository-work.js';
export type { RepositoryWork, RepositoryWorkInput } from './run-repository-work.js';
export { planOwnBranch } from './plan-own-branch.js';
export type { OwnBranchRequest } from './plan-own-branch.js';
export type { WorkTarget, SteeringWatch, CommitText, PullRequestDraft } from './work-target.js';
export type { GithubRunScope } from './github-run-scope.js';
export type { TrackingReporter } from './create-tracking-reporter.js';
export type { WorkEnding } from './run-work-phases.js';
export type { AgentOutcome, WorkPlan } from './run-journal.js';
export { initialSteps } from './render-tracking-comment.js';
export type { StepKey, StepState, TrackingStatus, TrackingView } from './render-tracking-comment.js';
export type { ChoreWorkEnding, ChoreWorkRunner } from './chore-work.js';
export { renderRequestPullRequest } from './render-final-report.js';
export { createChoreWorkRunner, createChoreWorkTarget, choreBranchName } from './run-chore-work.js';
export type { ConversationInbox, InboxMessage, OpenInbox, DeliveryOutcome } from './conversation-inbox.js';
export { planGithubWork } from './plan-work.js';
export type { GithubSubject, PlannedWork } from './plan-work.js';
export { githubSource } from './conversation-thread.js';
