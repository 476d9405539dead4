/**
 * A background sweep that runs every `intervalMs` (watchdogs, reconcilers): runs never overlap (an
 * explicit `run()` during a sweep waits for it and runs after), a failing run is logged and the next
 * one still comes, the timer never keeps the process alive, and `stop()` waits for a run in flight.
 */
import type { Logger } from '../logging/index.js';

export interface PeriodicTask<T> {
  /** One run now, after any run in flight. */
  run(): Promise<T>;
  stop(): Promise<void>;
}

export function startPeriodicTask<T>(
  work: () => Promise<T>,
  options: { intervalMs: number; logger: Logger; what: string },
): PeriodicTask<T> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const run = (): Promise<T> => {
    const next = running.then(work, work);
    running = next.catch(() => undefined);
    return next;
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void run()
        .catch((error: unknown) => options.logger.warn({ err: error }, `${options.what} failed`))
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  schedule();
  return {
    run,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
