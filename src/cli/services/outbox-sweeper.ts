/**
 * The scheduler's outbox sweep. A request recorded in the ledger but never enqueued (the process died
 * between the two steps) would make every redelivery look like a duplicate, so nothing would ever run
 * it. The sweep forgets such requests after a grace period, which lets the provider's redelivery (or
 * GitHub's redelivery sweeper) be processed exactly once.
 */
import type { Logger } from '../../logging/index.js';
import type { RequestLedger } from '../../store/index.js';

export interface OutboxSweeperOptions {
  ledger: Pick<RequestLedger, 'listUnenqueued' | 'forgetUnenqueued'>;
  logger: Logger;
  /** A request still `received` after this long is considered lost (default 2 minutes). */
  graceMs?: number;
  /** How often to sweep (default 1 minute); the first sweep runs at start. */
  intervalMs?: number;
  now?: () => number;
}

export interface OutboxSweeper {
  /** Runs one sweep; resolves to the delivery ids that were forgotten. */
  sweep(): Promise<string[]>;
  stop(): void;
}

export function startOutboxSweeper(options: OutboxSweeperOptions): OutboxSweeper {
  const graceMs = options.graceMs ?? 120_000;
  const now = options.now ?? Date.now;
  const sweep = async (): Promise<string[]> => {
    const stale = await options.ledger.listUnenqueued(new Date(now() - graceMs));
    const forgotten: string[] = [];
    for (const request of stale) {
      if (await options.ledger.forgetUnenqueued(request.deliveryId)) forgotten.push(request.deliveryId);
    }
    if (forgotten.length > 0) {
      options.logger.warn({ deliveryIds: forgotten }, 'forgot requests acknowledged but never enqueued');
    }
    return forgotten;
  };
  const runSafely = () =>
    void sweep().catch((error: unknown) => options.logger.warn({ err: error }, 'outbox sweep failed'));
  runSafely();
  const timer = setInterval(runSafely, options.intervalMs ?? 60_000);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
