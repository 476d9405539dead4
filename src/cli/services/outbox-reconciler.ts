/**
 * The scheduler's outbox reconciler (RELIABILITY 29, 30): at start-up and then every minute, one
 * `reconcileOutbox` pass. A request the ledger accepted whose job Redis lost (a crash with AOF
 * `everysec`, a failover to a replica that missed the last writes) is re-enqueued from the job stored
 * with it, under the same job id; one whose job ran to the end is never re-enqueued. Requests from
 * before the job was stored (migration 0007) keep the old sweep: a stale `received` one is forgotten,
 * so the provider's redelivery is processed once.
 */
import type { Queue } from 'bullmq';
import { Counter, type Registry } from 'prom-client';
import { reconcileOutbox, type OutboxReport } from '../../../queue/index.js';
import type { Logger } from '../../logging/index.js';
import type { RequestLedger, RunRepository } from '../../store/index.js';

export interface OutboxReconcilerOptions {
  queue: Queue;
  ledger: RequestLedger;
  runs: Pick<RunRepository, 'getByJobId'>;
  logger: Logger;
  /** `/metrics` registry for `loom_outbox_reconciled_total{action}`. */
  registry?: Registry;
  /** Requests younger than this are left to their enqueue (default 2 minutes). */
  graceMs?: number;
  /** How often to reconcile (default 1 minute); the first pass runs at start. */
  intervalMs?: number;
  now?: () => Date;
}

export interface OutboxReconciler {
  /** Runs one pass now. Passes never overlap: a call during a pass waits for it and runs after. */
  reconcile(): Promise<OutboxReport>;
  stop(): void;
}

export function startOutboxReconciler(options: OutboxReconcilerOptions): OutboxReconciler {
  const counter =
    options.registry === undefined
      ? undefined
      : new Counter({
          name: 'loom_outbox_reconciled_total',
          help: 'Requests the outbox reconciler re-enqueued, settled from their run, or forgot',
          labelNames: ['action'] as const,
          registers: [options.registry],
        });
  let running: Promise<unknown> = Promise.resolve();
  const pass = async (): Promise<OutboxReport> => {
    const report = await reconcileOutbox({
      queue: options.queue,
      ledger: options.ledger,
      runs: options.runs,
      logger: options.logger,
      ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    counter?.inc({ action: 're-enqueued' }, report.reEnqueued.length);
    counter?.inc({ action: 'settled' }, report.settled.length);
    counter?.inc({ action: 'forgotten' }, report.forgotten.length);
    return report;
  };
  const reconcile = (): Promise<OutboxReport> => {
    const next = running.then(pass, pass);
    running = next.catch(() => undefined);
    return next;
  };
  const runSafely = () =>
    void reconcile().catch((error: unknown) =>
      options.logger.warn({ err: error }, 'outbox reconcile failed'),
    );
  runSafely();
  const timer = setInterval(runSafely, options.intervalMs ?? 60_000);
  timer.unref();
  return { reconcile, stop: () => clearInterval(timer) };
}
