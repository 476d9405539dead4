/** `GET /healthz`: 200 with component states, 503 when a critical component (store, Redis) is down. */
import { Router } from 'express';
import { runHealthChecks, type HealthCheck } from '../health-check.js';

export interface HealthzRouterOptions {
  healthChecks: readonly HealthCheck[];
  integrations: Readonly<Record<string, 'enabled' | 'disabled'>>;
  version: string;
  checkTimeoutMs?: number;
}

export function createHealthzRouter(options: HealthzRouterOptions): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const report = await runHealthChecks(options.healthChecks, options.checkTimeoutMs);
    res
      .status(report.status === 'down' ? 503 : 200)
      .set('Cache-Control', 'no-store')
      .json({ ...report, integrations: options.integrations, version: options.version });
  });
  return router;
}
