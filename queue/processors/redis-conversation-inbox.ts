/**
 * Messages for the run that is working on a conversation right now (Slack replies that steer it, a
 * `stop`), across worker processes. The run opens the conversation's inbox while its agent works
 * and takes what arrived every poll; a reply job delivers into it and then waits until the run took
 * the message. If the run ended first, the reply job takes its message back (atomically: `LREM`
 * either removes it or finds it taken), so a reply is always either steering or a task of its own,
 * never lost and never both. While open, the run also publishes a one-line status for `status`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { ConversationInbox, InboxMessage } from '../../bots/github/worker/index.js';

export type { ConversationInbox, InboxMessage };

export interface RedisConversationInboxOptions {
  redis: Redis;
  keyPrefix?: string;
  /** How long an open inbox outlives its last `take` (a dead run stops taking). Default 30 s. */
  ttlMs?: number;
  /** How often a delivery checks whether it was taken (default 200 ms). */
  pollMs?: number;
  /** How long a delivery waits to be taken before taking it back (default 20 s). */
  deliveryTimeoutMs?: number;
}

const deliverScript = `if redis.call('exists', KEYS[1]) == 1 then redis.call('rpush', KEYS[2], ARGV[1]); redis.call('pexpire', KEYS[2], ARGV[2]); return 1 else return 0 end`;
const takeScript = `local items = redis.call('lrange', KEYS[2], 0, -1); redis.call('del', KEYS[2]); if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) end; return items`;
const closeScript = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]); redis.call('del', KEYS[3]) end; return 1`;

export function createRedisConversationInbox(options: RedisConversationInboxOptions): ConversationInbox {
  const { redis } = options;
  const prefix = options.keyPrefix ?? 'loom:conversation-inbox:';
  const ttlMs = options.ttlMs ?? 30_000;
  const pollMs = options.pollMs ?? 200;
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 20_000;
  const keys = (conversationKey: string) => ({
    open: `${prefix}${conversationKey}:open`,
    messages: `${prefix}${conversationKey}:messages`,
    status: `${prefix}${conversationKey}:status`,
  });

  return {
    async open(conversationKey, runId) {
      const key = keys(conversationKey);
      await redis.set(key.open, runId, 'PX', ttlMs);
      return {
        async take() {
          const raw = (await redis.eval(takeScript, 2, key.open, key.messages, runId, ttlMs)) as string[];
          return raw.map((item) => JSON.parse(item) as InboxMessage);
        },
        async setStatus(text) {
          await redis.set(key.status, text, 'PX', ttlMs);
        },
        async close() {
          await redis.eval(closeScript, 3, key.open, key.messages, key.status, runId);
        },
      };
    },
    async deliver(conversationKey, message) {
      const key = keys(conversationKey);
      const item = JSON.stringify(message);
      const delivered = await redis.eval(deliverScript, 2, key.open, key.messages, item, ttlMs * 4);
      if (delivered !== 1) return 'not-running';
      const deadline = Date.now() + deliveryTimeoutMs;
      for (;;) {
        await sleep(pollMs);
        const stillOpen = (await redis.exists(key.open)) === 1;
        const waiting = (await redis.lpos(key.messages, item)) !== null;
        if (!waiting) return 'taken';
        if (!stillOpen || Date.now() >= deadline) {
          // The run ended (or stopped taking) before it saw the message: take it back, unless it
          // was taken in between.
          const removed = await redis.lrem(key.messages, 1, item);
          return removed === 1 ? 'not-running' : 'taken';
        }
      }
    },
    async status(conversationKey) {
      const key = keys(conversationKey);
      if ((await redis.exists(key.open)) !== 1) return undefined;
      return (await redis.get(key.status)) ?? 'A task is running in this thread.';
    },
  };
}
