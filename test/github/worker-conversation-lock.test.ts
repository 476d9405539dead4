/** The Redis conversation lock on the real Redis: one holder per conversation, and a dead holder's lock expires. */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisConversationLock } from '../../queue/processors/redis-conversation-lock.js';
import { uniqueName } from '../queue/support/wait-for.js';

const redisUrl = 'redis://127.0.0.1:6379';

describe('createRedisConversationLock', () => {
  const clients: Redis[] = [];
  const client = () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    return redis;
  };
  afterEach(async () => {
    for (const redis of clients.splice(0)) redis.disconnect();
  });

  it('lets one holder in at a time and the next one in after the release', async () => {
    const keyPrefix = `${uniqueName('loomtest-lock')}:`;
    const first = createRedisConversationLock({ redis: client(), keyPrefix, ttlMs: 1_000, pollMs: 20 });
    const second = createRedisConversationLock({ redis: client(), keyPrefix, ttlMs: 1_000, pollMs: 20 });
    const held = await first.acquire('github:acme/web#1', new AbortController().signal);
    let secondGotIt = false;
    const waiting = second.acquire('github:acme/web#1', new AbortController().signal).then((lock) => {
      secondGotIt = true;
      return lock;
    });
    const other = await second.acquire('github:acme/web#2', new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(secondGotIt).toBe(false);
    await held.release();
    const next = await waiting;
    expect(secondGotIt).toBe(true);
    await next.release();
    await other.release();
    expect(await client().keys(`${keyPrefix}*`)).toEqual([]);
  });

  it('frees the conversation when the holder dies, and a waiter can give up', async () => {
    const keyPrefix = `${uniqueName('loomtest-lock')}:`;
    const dying = client();
    await createRedisConversationLock({ redis: dying, keyPrefix, ttlMs: 300 }).acquire(
      'c',
      new AbortController().signal,
    );
    dying.disconnect();
    const started = Date.now();
    const lock = await createRedisConversationLock({
      redis: client(),
      keyPrefix,
      ttlMs: 300,
      pollMs: 20,
    }).acquire('c', new AbortController().signal);
    expect(Date.now() - started).toBeLessThan(2_000);
    const controller = new AbortController();
    const waiter = createRedisConversationLock({ redis: client(), keyPrefix, pollMs: 20 }).acquire(
      'c',
      controller.signal,
    );
    controller.abort(new Error('shutting down'));
    await expect(waiter).rejects.toThrow();
    await lock.release();
  });
});
