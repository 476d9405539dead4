/**
 * Edits one comment at most once per interval (issue 5: "edited in place (throttled)"): the latest
 * body wins, bodies in between are dropped, and at most one edit is in flight. A failed edit is
 * logged, never thrown: reporting must not break the run it reports on.
 */
import type { Logger } from '../../../src/logging/index.js';

export interface ThrottledEditor {
  /** Queues `body`; it is sent now if the interval has passed, else when it does. */
  update(body: string): void;
  /** Sends the latest body at once (if not sent yet) and waits for it. */
  flush(): Promise<void>;
  /** Drops anything queued and stops the timer. */
  stop(): void;
}

export interface ThrottledEditorOptions {
  edit(body: string): Promise<void>;
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}

export function createThrottledEditor(options: ThrottledEditorOptions): ThrottledEditor {
  const now = options.now ?? Date.now;
  let pending: string | undefined;
  let lastSent: string | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const send = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    inFlight = inFlight.then(async () => {
      const body = pending;
      pending = undefined;
      if (body === undefined || body === lastSent || stopped) return;
      lastSentAt = now();
      try {
        await options.edit(body);
        lastSent = body;
      } catch (error) {
        options.logger.warn({ err: error }, 'could not edit the tracking comment');
      }
    });
    return inFlight;
  };

  return {
    update(body) {
      if (stopped) return;
      pending = body;
      const wait = lastSentAt + options.intervalMs - now();
      if (wait <= 0) {
        void send();
      } else if (timer === undefined) {
        timer = setTimeout(() => void send(), wait);
        timer.unref();
      }
    },
    flush: () => send(),
    stop() {
      stopped = true;
      pending = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
