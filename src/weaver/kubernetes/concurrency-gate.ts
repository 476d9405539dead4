/**
 * A first-come, first-served cap on concurrent weavers in this process. Callers over the cap wait
 * in line and hear their place in it (so the worker can tell the user), and may give up (abort).
 */
import { LoomError } from '../../errors/index.js';

export interface GateWaitNotice {
  /** 1 = next in line. */
  position: number;
  /** Weavers running now (= the limit while anyone waits). */
  running: number;
  limit: number;
}

export interface ConcurrencyGate {
  /** Resolves with a release function once a slot is free; rejects with `cancelled` on abort. */
  acquire(options?: {
    signal?: AbortSignal;
    onWaiting?: (notice: GateWaitNotice) => void;
  }): Promise<() => void>;
  readonly running: number;
  readonly waiting: number;
}

interface Waiter {
  grant: () => void;
  onWaiting: ((notice: GateWaitNotice) => void) | undefined;
  lastPosition: number;
}

export function createConcurrencyGate(limit: number): ConcurrencyGate {
  let running = 0;
  const line: Waiter[] = [];

  const tellPositions = (): void => {
    line.forEach((waiter, index) => {
      if (waiter.lastPosition === index + 1) return;
      waiter.lastPosition = index + 1;
      waiter.onWaiting?.({ position: index + 1, running, limit });
    });
  };

  const releaser = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      running -= 1;
      const next = line.shift();
      if (next !== undefined) {
        running += 1;
        next.grant();
      }
      tellPositions();
    };
  };

  return {
    acquire(options = {}) {
      if (options.signal?.aborted)
        return Promise.reject(new LoomError('cancelled', 'Cancelled before a weaver was free.'));
      if (running < limit && line.length === 0) {
        running += 1;
        return Promise.resolve(releaser());
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          grant: () => {
            options.signal?.removeEventListener('abort', onAbort);
            resolve(releaser());
          },
          onWaiting: options.onWaiting,
          lastPosition: 0,
        };
        const onAbort = (): void => {
          const index = line.indexOf(waiter);
          if (index >= 0) line.splice(index, 1);
          reject(new LoomError('cancelled', 'Cancelled while waiting for a free weaver.'));
          tellPositions();
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        line.push(waiter);
        tellPositions();
      });
    },
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
  };
}
