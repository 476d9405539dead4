/** `GET /metrics`: the Prometheus exposition of this process. */
import { Router } from 'express';
import type { LoomMetrics } from '../metrics.js';

export function createMetricsRouter(metrics: LoomMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.set('Content-Type', contentType).set('Cache-Control', 'no-store').send(body);
  });
  return router;
}
