/**
 * Composition root of the long-running processes: opens Redis, the store, the queue, and starts the
 * selected components (HTTP server, worker, scheduler). Returns a handle whose `close()` stops them in
 * the reverse order within the shutdown timeout.
 */
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import type { LoomConfig } from '../../config/index.js';
import type { Logger } from '../../logging/index.js';
import {
  createHttpApp,
  withDirectRoutes,
  createMetrics,
  createRedisHealthCheck,
  createStoreHealthCheck,
  startHttpServer,
  type DirectRoute,
  type MountedRoute,
} from '../../server/index.js';
import { openStore, type Store } from '../../store/index.js';
import {
  builtInProcessors,
  closeJobQueue,
  createJobQueue,
  createWorker,
  getQueueDepth,
  waitForQueueReady,
  stopWorker,
  type LoomWorker,
} from '../../../queue/index.js';
import { ensureRedis } from './private-redis.js';
import { startOutboxReconciler } from './outbox-reconciler.js';
import { startChoresReconcile } from './chores-routes.js';
import { createAgentRunProcessorFromConfig } from './create-agent-run-processor-from-config.js';

export interface ServiceSelection {
  server: boolean;
  worker: boolean;
  scheduler: boolean;
}

export interface RunningServices {
  /** Base URL of the HTTP server, when it runs. */
  url: string | undefined;
  store: Store;
  queue: Queue;
  close(): Promise<void>;
}

/** Routes a component mounts on the server, and what to release at shutdown. */
export type RouteSet =
  MountedRoute[] | { routes: MountedRoute[]; direct?: DirectRoute[]; close(): Promise<void> };

/** Builds a component's routes once the store and queue exist. */
export type RouteFactory = (deps: {
  config: LoomConfig;
  store: Store;
  queue: Queue;
  logger: Logger;
  /** The `/metrics` registry, for a component's own counters. */
  registry: Registry;
}) => RouteSet | Promise<RouteSet>;

export async function startServices(
  config: LoomConfig,
  selection: ServiceSelection,
  logger: Logger,
  routeFactories: RouteFactory[] = [],
): Promise<RunningServices> {
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => logger.warn({ err: error }, 'error while shutting down'));
    }
  };
  try {
    const redis = await ensureRedis({
      url: config.redisUrl,
      explicit: config.redisUrlExplicit,
      dataDir: config.dataDir,
      logger,
    });
    closers.push(() => redis.stop());
    const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger });
    closers.push(() => store.close());
    const queue = createJobQueue({ connection: { url: redis.url, connectionName: 'loom-producer' }, logger });
    closers.push(() => closeJobQueue(queue));
    await waitForQueueReady(queue, 10_000);
    const metrics = createMetrics({
      logger,
      queueDepth: async () => ({ [queue.name]: await getQueueDepth(queue) }),
    });

    if (selection.scheduler) {
      const reconciler = startOutboxReconciler({
        queue,
        ledger: store.requests,
        runs: store.runs,
        logger,
        registry: metrics.registry,
      });
      closers.push(async () => reconciler.stop());
      // Chore schedules follow `.loom/chores.yml` of every installed repository (issue 7 item 2).
      void startChoresReconcile({ config, store, queue, logger });
    }
    let url: string | undefined;
    if (selection.server) {
      const redisCheck = createRedisHealthCheck({ url: redis.url, logger });
      closers.push(() => redisCheck.close());
      const routes: MountedRoute[] = [];
      const direct: DirectRoute[] = [];
      for (const factory of routeFactories) {
        const built = await factory({ config, store, queue, logger, registry: metrics.registry });
        if (Array.isArray(built)) routes.push(...built);
        else {
          routes.push(...built.routes);
          direct.push(...(built.direct ?? []));
          closers.push(() => built.close());
        }
      }
      const app = createHttpApp({
        logger,
        metrics,
        healthChecks: [createStoreHealthCheck(store), redisCheck],
        integrations: {
          github: config.github ? 'enabled' : 'disabled',
          slack: config.slack ? 'enabled' : 'disabled',
          models: config.model ? 'enabled' : 'disabled',
        },
        routes,
      });
      const http = await startHttpServer(withDirectRoutes(direct, app, { logger, metrics }), {
        port: config.port,
      });
      // Closers run in reverse: the worker drains first (its jobs still reach the proxy here), then
      // the server gets a short grace, so `loom start` ends within the worker's timeout plus ~1.5 s.
      closers.push(() => http.close(Math.min(config.shutdownTimeoutMs, 1500)));
      url = http.url;
      logger.info({ url: http.url }, `Loom listening on ${http.url}`);
    }
    // The worker starts after the server and so stops before it: jobs draining at shutdown still
    // reach the LLM proxy on this server.
    let worker: LoomWorker | undefined;
    if (selection.worker) {
      const agentRun = await createAgentRunProcessorFromConfig({
        config,
        store,
        queue,
        redisUrl: redis.url,
        localServerUrl: url,
        logger,
      });
      closers.push(() => agentRun.close());
      worker = createWorker({
        connection: { url: redis.url, connectionName: 'loom-worker' },
        concurrency: config.workerConcurrency,
        processors: {
          ...builtInProcessors,
          'agent-run': agentRun.processor,
          ...(agentRun.choresSync === undefined ? {} : { 'chores-sync': agentRun.choresSync }),
        },
        store,
        logger,
        onJobFinished: (event) =>
          metrics.observeJobDuration(event.jobName, event.outcome, event.durationMs / 1000),
      });
      const running = worker;
      closers.push(async () => {
        const outcome = await stopWorker(running, config.shutdownTimeoutMs);
        logger.info({ outcome }, 'worker stopped');
      });
    }
    return { url, store, queue, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
