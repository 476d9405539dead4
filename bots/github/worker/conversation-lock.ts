/**
 * One run at a time per conversation (issue or PR): a follow-up mention that arrives while a run is
 * working waits for it, then continues on the branch it pushed, instead of racing it to the same
 * branch and PR. The port has an in-process implementation here and a Redis one for several workers
 * (`queue/processors/redis-conversation-lock.ts`).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface ConversationLock {
  /** Waits until the key is free (or `signal` aborts, which rejects), then holds it until `release`. */
  acquire(key: string, signal: AbortSignal): Promise<{ release(): Promise<void> }>;
}

export function createMemoryConversationLock(pollMs = 50): ConversationLock {
  const held = new Set<string>();
  return {
    async acquire(key, signal) {
      while (held.has(key)) await sleep(pollMs, undefined, { signal });
      signal.throwIfAborted();
      held.add(key);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          held.delete(key);
        },
      };
    },
  };
}
