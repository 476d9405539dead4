import { LoomError } from '../errors/index.js';

/**
 * Runs `task` with an AbortSignal that fires after `timeoutMs`, and settles no later than that even
 * when the task ignores the signal. Why: a dead Redis or database must never hang `/healthz` or a
 * `/metrics` scrape (ioredis queues commands while disconnected; BullMQ connections retry forever).
 */
export async function withTimeout<T>(
  task: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new LoomError('timeout', `${what} did not answer within ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([task(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
