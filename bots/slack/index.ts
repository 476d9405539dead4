/**
 * The Slack app: ingress (Bolt over HTTP or Socket Mode → one `agent-run` job per request), the
 * immediate replies, and the run reporter (status message in the thread). See specs/slack.md.
 */
export { createSlackApp } from './create-slack-app.js';
export type { CreateSlackAppOptions, SlackApp } from './create-slack-app.js';
export { createSlackAgentRunHandler } from './create-slack-agent-run-handler.js';
export type {
  SlackAgentRunHandlerDeps,
  SlackCommandRunner,
  SlackTaskRunner,
} from './create-slack-agent-run-handler.js';
export { createSlackRunReporter } from './create-slack-run-reporter.js';
export type { SlackRunReporterOptions } from './create-slack-run-reporter.js';
export type { RunOutcome, RunReporter, RunStepKey, RunStepState } from './run-reporter.js';
export { createSlackWebApi } from './create-slack-web-api.js';
export type { CreateSlackWebApiOptions } from './create-slack-web-api.js';
export type { SlackApi, SlackBotIdentity } from './slack-api.js';
export {
  verifySlackSignature,
  signSlackRequest,
  slackTimestampToleranceSeconds,
} from './verify-slack-signature.js';
export type {
  SlackSignatureFailure,
  SlackSignatureInput,
  SlackSignatureVerdict,
} from './verify-slack-signature.js';
export { slackConversationKey } from './slack-conversation-key.js';
export { createSlackTaskRunner, createSlackCommandRunner, createSlackSteering } from './run-slack-task.js';
export type { SlackWorkDeps } from './run-slack-task.js';
export { createSlackWorkTarget, requestTitle } from './slack-work-target.js';
export { startSlackRunWatchdog } from './start-slack-run-watchdog.js';
export type { SlackRunWatchdog, SlackRunWatchdogOptions } from './start-slack-run-watchdog.js';
