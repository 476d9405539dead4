/**
 * The conversation lock across worker processes: one Redis key per conversation, taken with
 * `SET NX PX` and a random token, renewed while held, released only by its holder (compare and
 * delete). A holder that dies stops renewing, and the key expires after `ttlMs`, so a crashed
 * worker never blocks its conversation for longer than that.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { ConversationLock } from '../../bots/github/worker/index.js';

export interface RedisConversationLockOptions {
  redis: Redis;
  /** Prefix of the lock keys (default `loom:conversation-lock:`). */
  keyPrefix?: string;
  /** How long a lock outlives its last renewal (default 30 s). */
  ttlMs?: number;
  /** How often a waiter tries again (default 500 ms). */
  pollMs?: number;
}

const renewScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const releaseScript = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function createRedisConversationLock(options: RedisConversationLockOptions): ConversationLock {
  const ttlMs = options.ttlMs ?? 30_000;
  const pollMs = options.pollMs ?? 500;
  const prefix = options.keyPrefix ?? 'loom:conversation-lock:';
  const { redis } = options;
  return {
    async acquire(key, signal) {
      const redisKey = `${prefix}${key}`;
      const token = randomUUID();
      for (;;) {
        signal.throwIfAborted();
        if ((await redis.set(redisKey, token, 'PX', ttlMs, 'NX')) === 'OK') break;
        await sleep(pollMs, undefined, { signal });
      }
      const renewal = setInterval(
        () => {
          redis.eval(renewScript, 1, redisKey, token, String(ttlMs)).catch(() => undefined);
        },
        Math.max(50, Math.floor(ttlMs / 3)),
      );
      renewal.unref();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          clearInterval(renewal);
          await redis.eval(releaseScript, 1, redisKey, token);
        },
      };
    },
  };
}
