/**
 * Prometheus metrics of one Loom process, on a registry of its own (never prom-client's global one),
 * so tests and several apps in one process do not collide.
 */
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../logging/index.js';
import { redactUrlCredentials } from './redact-url-credentials.js';
import { withTimeout } from './with-timeout.js';

/** Job counts per queue and state, e.g. `{ agent: { waiting: 3, active: 1 } }`. */
export type QueueDepthReader = () => Promise<Record<string, Record<string, number>>>;

/** How a job ended, for `loom_job_duration_seconds`. */
export type JobOutcome = 'completed' | 'failed' | 'cancelled' | (string & {});

export interface CreateMetricsOptions {
  /** Read at scrape time; bounded by `queueDepthTimeoutMs` so a dead Redis never hangs a scrape. */
  queueDepth?: QueueDepthReader;
  queueDepthTimeoutMs?: number;
  /** Process metrics (CPU, memory, event loop lag, GC); on by default. */
  defaultMetrics?: boolean;
  logger?: Logger;
}

export interface LoomMetrics {
  readonly registry: Registry;
  /** Records one HTTP request; `route` is the route template (`/api/threads/:id`), never the raw path. */
  observeHttpRequest(method: string, route: string, status: number, seconds: number): void;
  /** Records one finished job; called by the worker. */
  observeJobDuration(jobName: string, outcome: JobOutcome, seconds: number): void;
  /** The exposition text and its content type, for `GET /metrics`. */
  render(): Promise<{ contentType: string; body: string }>;
}

const httpBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// Agent runs last from seconds to an hour.
const jobBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];

export function createMetrics(options: CreateMetricsOptions = {}): LoomMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'loom_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: httpBuckets,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'loom_job_duration_seconds',
    help: 'Job duration by job name and outcome',
    labelNames: ['job', 'outcome'] as const,
    buckets: jobBuckets,
    registers: [registry],
  });
  registerQueueDepth(registry, options);
  return {
    registry,
    observeHttpRequest(method, route, status, seconds) {
      httpDuration.observe({ method, route, status: String(status) }, seconds);
    },
    observeJobDuration(jobName, outcome, seconds) {
      jobDuration.observe({ job: jobName, outcome }, seconds);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

function registerQueueDepth(registry: Registry, options: CreateMetricsOptions): void {
  const { queueDepth, logger } = options;
  const timeoutMs = options.queueDepthTimeoutMs ?? 1_000;
  new Gauge({
    name: 'loom_queue_jobs',
    help: 'Jobs per queue and state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      // Reset first: a queue or state that vanished must not keep reporting its last value, and when
      // the depth cannot be read the series are absent rather than stale.
      this.reset();
      if (queueDepth === undefined) return;
      try {
        const depth = await withTimeout(() => queueDepth(), timeoutMs, 'queue depth');
        for (const [queue, states] of Object.entries(depth)) {
          for (const [state, count] of Object.entries(states)) this.set({ queue, state }, count);
        }
      } catch (error) {
        const reason = redactUrlCredentials(error instanceof Error ? error.message : String(error));
        logger?.warn({ reason }, 'metrics: could not read queue depth');
      }
    },
  });
}
