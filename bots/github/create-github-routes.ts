/**
 * Composition of the GitHub ingress for `startServices` (a `RouteFactory`): the Probot instance
 * (APP_ID, private key, first webhook secret, API base URL for GitHub Enterprise Server or any
 * GitHub-compatible host), the ingress app loaded into it, and the webhook router mounted at
 * `POST /api/github/webhooks`. Returns no route when the GitHub integration is off.
 */
import { readFileSync } from 'node:fs';
import type { Queue } from 'bullmq';
import { Probot } from 'probot';
import type { GithubIntegrationConfig, LoomConfig } from '../../src/config/index.js';
import { LoomError } from '../../src/errors/index.js';
import type { Logger } from '../../src/logging/index.js';
import type { MountedRoute } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';
import { createAppSlugCache } from './ingress/app-slug-cache.js';
import { createDeliveryOutcomes } from './ingress/delivery-outcomes.js';
import { createGithubIngressApp } from './ingress/create-github-ingress-app.js';
import { createGithubWebhookRouter } from './ingress/create-github-webhook-router.js';
import { fetchAppSlug } from './ingress/fetch-app-slug.js';
import type { BodyLimits } from './ingress/read-raw-body.js';
import { parseWebhookSecrets } from './ingress/verify-webhook-signature.js';

/** Where GitHub delivers webhooks (DESIGN §4 HTTP contract). */
export const githubWebhookPath = '/api/github/webhooks';

export interface GithubRouteDependencies {
  config: LoomConfig;
  store: Store;
  queue: Queue;
  logger: Logger;
}

/** Tuning, for tests and unusual deployments. */
export interface GithubRouteOptions {
  bodyLimits?: Partial<BodyLimits>;
  /** Budget of `GET /app` for the slug (default 5 s). */
  slugTimeoutMs?: number;
  /** Budget of the Redis `add` (default 1 s). */
  enqueueTimeoutMs?: number;
}

function readPrivateKey(github: GithubIntegrationConfig): string {
  if (github.privateKey !== undefined) return github.privateKey;
  const path = github.privateKeyPath ?? '';
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new LoomError('config_invalid', `PRIVATE_KEY_PATH: cannot read ${path}`, { cause: error });
  }
}

/** The GitHub ingress routes; `[]` when `config.github` is undefined (integration off). */
export function createGithubRoutes(
  deps: GithubRouteDependencies,
  options: GithubRouteOptions = {},
): MountedRoute[] {
  const github = deps.config.github;
  if (github === undefined) return [];
  const secrets = parseWebhookSecrets(github.webhookSecret);
  if (secrets.length === 0) throw new LoomError('config_invalid', 'WEBHOOK_SECRET holds no secret');
  const logger = deps.logger.child({ component: 'github-ingress' });
  const probot = new Probot({
    appId: github.appId,
    privateKey: readPrivateKey(github),
    secret: secrets[0],
    baseUrl: github.apiUrl,
    log: logger,
  });
  const outcomes = createDeliveryOutcomes();
  const appSlug = createAppSlugCache({
    fetchSlug: () => fetchAppSlug(probot, options.slugTimeoutMs ?? 5_000),
  });
  const app = createGithubIngressApp({
    queue: deps.queue,
    ledger: deps.store.requests,
    appId: Number(github.appId),
    appSlug,
    logger,
    outcomes,
    enqueueTimeoutMs: options.enqueueTimeoutMs,
  });
  app(probot);
  const router = createGithubWebhookRouter({
    receive: (event) => probot.receive(event as Parameters<Probot['receive']>[0]),
    secrets,
    outcomes,
    logger,
    bodyLimits: options.bodyLimits,
  });
  return [{ path: githubWebhookPath, router }];
}
