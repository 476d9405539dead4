/**
 * Immediate replies (refusals, "which repository?", `use` confirmations) are sent after the event is
 * acknowledged, so a slow Slack API never delays the ack. The tracker keeps them in view: failures
 * are logged, and `settle()` waits for the ones in flight (shutdown, tests).
 */
import type { Logger } from '../../src/logging/index.js';

export interface ReplyTracker {
  /** Starts `work` in the background. */
  send(what: string, work: () => Promise<unknown>): void;
  /** Resolves when every reply started so far has finished (sent or failed). */
  settle(): Promise<void>;
}

export function createReplyTracker(logger: Logger): ReplyTracker {
  const inFlight = new Set<Promise<void>>();
  return {
    send(what, work) {
      const running = Promise.resolve()
        .then(work)
        .then(
          () => undefined,
          (error: unknown) => logger.warn({ err: error, reply: what }, 'Slack reply could not be sent'),
        )
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
    },
    async settle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
