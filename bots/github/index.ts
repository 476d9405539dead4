/**
 * The GitHub surface of Loom. Ingress (this folder minus `worker/`): signed webhooks → at most one
 * `agent-run` job per delivery. See specs/github.md.
 */
export { createGithubRoutes, githubWebhookPath } from './create-github-routes.js';
export type { GithubRouteDependencies, GithubRouteOptions } from './create-github-routes.js';
export { githubConversationKey } from './ingress/build-agent-run-payload.js';
export { decideTrigger, isBotAccount } from './ingress/decide-trigger.js';
export type { AppIdentity, TriggerDecision } from './ingress/decide-trigger.js';
export { parseTriggerText } from './ingress/parse-trigger-text.js';
export type { TriggerCommand, TriggerText } from './ingress/parse-trigger-text.js';
export { verifyWebhookSignature, parseWebhookSecrets } from './ingress/verify-webhook-signature.js';
