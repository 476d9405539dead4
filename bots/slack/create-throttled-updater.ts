/**
 * Edits one Slack message at most once per interval (Slack allows about one update per second per
 * message): the latest text wins, texts in between are dropped, one edit is in flight at a time, and
 * a failed edit is logged, never thrown, so reporting never breaks the run.
 */
import type { Logger } from '../../src/logging/index.js';

export interface ThrottledUpdater {
  /** Queues `text`; sent now if the interval has passed, else when it has. */
  update(text: string): void;
  /** Sends the latest queued text now (if any) and waits for it. */
  flush(): Promise<void>;
  /** Drops what is queued and the timer. */
  stop(): void;
}

export interface ThrottledUpdaterOptions {
  send(text: string): Promise<void>;
  intervalMs: number;
  logger: Logger;
  now?: () => number;
}

export function createThrottledUpdater(options: ThrottledUpdaterOptions): ThrottledUpdater {
  const now = options.now ?? Date.now;
  let queued: string | undefined;
  let lastSent: string | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const sendQueued = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    chain = chain.then(async () => {
      const text = queued;
      queued = undefined;
      if (text === undefined || text === lastSent || stopped) return;
      lastSentAt = now();
      try {
        await options.send(text);
        lastSent = text;
      } catch (error) {
        options.logger.warn({ err: error }, 'could not update the Slack status message');
      }
    });
    return chain;
  };

  return {
    update(text) {
      if (stopped) return;
      queued = text;
      const wait = lastSentAt + options.intervalMs - now();
      if (wait <= 0) void sendQueued();
      else if (timer === undefined) {
        timer = setTimeout(() => void sendQueued(), wait);
        timer.unref();
      }
    },
    flush: () => sendQueued(),
    stop() {
      stopped = true;
      queued = undefined;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
