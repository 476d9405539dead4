/**
 * The one Express app of a Loom server: `/healthz`, `/metrics`, request logging, JSON errors, and the
 * routers later parts mount (GitHub webhooks, Slack events, LLM proxy, threads API).
 *
 * There is deliberately no global body parser: webhook receivers verify signatures over the raw
 * bytes, so each router parses its own body, with its own size limit.
 */
import { readFileSync } from 'node:fs';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from '../logging/index.js';
import type { HealthCheck } from './health-check.js';
import { createJsonErrorHandler, notFoundHandler } from './http-error-handlers.js';
import type { LoomMetrics } from './metrics.js';
import { mountPathLocal, observeRequests } from './observe-requests.js';
import { createHealthzRouter } from './routes/healthz-router.js';
import { createMetricsRouter } from './routes/metrics-router.js';

/** A router (or any Express middleware, e.g. Probot's) served under `path`. */
export interface MountedRoute {
  path: string;
  router: Router | RequestHandler;
}

export interface HttpAppDependencies {
  logger: Logger;
  metrics: LoomMetrics;
  healthChecks: HealthCheck[];
  /** Shown in `/healthz`, e.g. `{ github: 'enabled', slack: 'disabled' }`. */
  integrations: Record<string, 'enabled' | 'disabled'>;
  routes?: MountedRoute[];
  /** Reported by `/healthz`; the package version by default. */
  version?: string;
  /** Per health check budget, 1 s by default. */
  healthCheckTimeoutMs?: number;
}

export function createHttpApp(deps: HttpAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    observeRequests({ logger: deps.logger, metrics: deps.metrics, quietPaths: ['/healthz', '/metrics'] }),
  );
  app.use(
    createHealthzRouter({
      healthChecks: deps.healthChecks,
      integrations: deps.integrations,
      version: deps.version ?? packageVersion(),
      checkTimeoutMs: deps.healthCheckTimeoutMs,
    }),
  );
  app.use(createMetricsRouter(deps.metrics));
  for (const route of deps.routes ?? []) {
    app.use(route.path, markMountPath(route.path), route.router);
  }
  app.use(notFoundHandler);
  app.use(createJsonErrorHandler(deps.logger));
  return app;
}

/** Notes which mount served a request, for the route label of metrics and logs. */
function markMountPath(path: string): RequestHandler {
  return (_req, res, next) => {
    res.locals[mountPathLocal] = path;
    next();
  };
}

let cachedVersion: string | undefined;

function packageVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}
