import { Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logging/index.js';
import {
  createHttpApp,
  createMetrics,
  startHttpServer,
  type CreateMetricsOptions,
  type LoomMetrics,
  type RunningHttpServer,
} from '../../src/server/index.js';

const servers: RunningHttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close(1_000);
});

function threadsRouter(): Router {
  const router = Router();
  router.get('/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  return router;
}

async function serve(
  options: CreateMetricsOptions,
): Promise<{ server: RunningHttpServer; metrics: LoomMetrics }> {
  const metrics = createMetrics(options);
  const app = createHttpApp({
    logger: createSilentLogger(),
    metrics,
    healthChecks: [],
    integrations: {},
    routes: [{ path: '/api/threads', router: threadsRouter() }],
  });
  const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  servers.push(server);
  return { server, metrics };
}

async function scrape(
  server: RunningHttpServer,
): Promise<{ text: string; contentType: string | null; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  return {
    text: await response.text(),
    contentType: response.headers.get('content-type'),
    ms: Date.now() - started,
  };
}

describe('GET /metrics', () => {
  it('exposes HTTP, queue depth, job duration and process metrics', async () => {
    const { server, metrics } = await serve({
      queueDepth: async () => ({ agent: { waiting: 3, active: 1 }, chores: { delayed: 2 } }),
    });
    await fetch(`${server.url}/api/threads/T-123`);
    await fetch(`${server.url}/api/threads/T-456`);
    metrics.observeJobDuration('agent-run', 'completed', 42);

    const { text, contentType } = await scrape(server);
    expect(contentType).toContain('text/plain');
    expect(text).toContain('loom_queue_jobs{queue="agent",state="waiting"} 3');
    expect(text).toContain('loom_queue_jobs{queue="agent",state="active"} 1');
    expect(text).toContain('loom_queue_jobs{queue="chores",state="delayed"} 2');
    expect(text).toContain('loom_job_duration_seconds_count{job="agent-run",outcome="completed"} 1');
    expect(text).toContain('loom_job_duration_seconds_sum{job="agent-run",outcome="completed"} 42');
    // Two requests, one series: the label is the route template, never the raw path.
    expect(text).toContain(
      'loom_http_request_duration_seconds_count{method="GET",route="/api/threads/:id",status="200"} 2',
    );
    expect(text).not.toContain('T-123');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('labels requests that matched no route as unmatched', async () => {
    const { server } = await serve({ defaultMetrics: false });
    await fetch(`${server.url}/wp-admin/setup.php`);
    const { text } = await scrape(server);
    expect(text).toContain(
      'loom_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"} 1',
    );
    expect(text).not.toContain('wp-admin');
  });

  it('still answers, without queue series, when the queue depth cannot be read in time', async () => {
    const { server } = await serve({
      defaultMetrics: false,
      queueDepthTimeoutMs: 200,
      queueDepth: () => new Promise(() => {}), // Redis down: BullMQ would wait forever
    });
    const { text, ms } = await scrape(server);
    expect(ms).toBeLessThan(2_000);
    expect(text).toContain('# TYPE loom_queue_jobs gauge');
    expect(text).not.toMatch(/^loom_queue_jobs\{/m);
  });

  it('keeps each app on its own registry', async () => {
    const first = await serve({ defaultMetrics: true });
    const second = await serve({ defaultMetrics: true });
    first.metrics.observeJobDuration('agent-run', 'failed', 1);
    expect((await scrape(first.server)).text).toContain('outcome="failed"');
    expect((await scrape(second.server)).text).not.toContain('outcome="failed"');
  });
});
