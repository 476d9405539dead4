/**
 * The conversation inbox on a real Redis: a message delivered while a run has the inbox open is
 * taken by that run exactly once; a message delivered when nothing runs, or left behind when the
 * run closed the inbox before taking it, comes back as `not-running` (so it becomes a task of its
 * own); never both, never lost.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '../../queue/index.js';
import {
  createRedisConversationInbox,
  type ConversationInbox,
  type InboxMessage,
} from '../../queue/processors/redis-conversation-inbox.js';

let redis: Redis;
let inbox: ConversationInbox;
const prefix = `loomtest-inbox-${randomUUID()}:`;

beforeAll(() => {
  redis = createRedisClient({ url: 'redis://127.0.0.1:6379', connectionName: 'loomtest-inbox' }, 'worker');
  inbox = createRedisConversationInbox({ redis, keyPrefix: prefix, pollMs: 20, deliveryTimeoutMs: 2_000 });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const steer = (text: string): InboxMessage => ({ kind: 'steer', from: '<@U1>', text, id: randomUUID() });

describe('conversation inbox', () => {
  it('says not-running when no run has the conversation open, and leaves nothing behind', async () => {
    expect(await inbox.deliver('c-none', steer('hello'))).toBe('not-running');
    expect(await inbox.status('c-none')).toBeUndefined();
    expect(await redis.keys(`${prefix}c-none*`)).toEqual([]);
  });

  it('hands a message to the open run exactly once, and reports its status', async () => {
    const open = await inbox.open('c-open', 'run-1');
    await open.setStatus('Working: 3 turns');
    expect(await inbox.status('c-open')).toBe('Working: 3 turns');
    const delivery = inbox.deliver('c-open', steer('use the v2 API'));
    let taken: InboxMessage[] = [];
    for (let i = 0; i < 50 && taken.length === 0; i += 1) {
      taken = await open.take();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await delivery).toBe('taken');
    expect(taken.map((message) => message.text)).toEqual(['use the v2 API']);
    expect(await open.take()).toEqual([]);
    await open.close();
    expect(await inbox.status('c-open')).toBeUndefined();
  });

  it('gives a message back when the run closes before taking it', async () => {
    const open = await inbox.open('c-closing', 'run-2');
    const delivery = inbox.deliver('c-closing', steer('one more thing'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await open.close();
    expect(await delivery).toBe('not-running');
    expect(await redis.llen(`${prefix}c-closing:messages`)).toBe(0);
  });

  it('gives a message back when the run stopped taking (a dead worker)', async () => {
    await inbox.open('c-dead', 'run-3');
    expect(await inbox.deliver('c-dead', steer('anyone there?'))).toBe('not-running');
  });

  it('lets only the run that opened the inbox close it', async () => {
    const first = await inbox.open('c-two', 'run-4');
    const second = await inbox.open('c-two', 'run-5');
    await first.close();
    expect(await inbox.status('c-two')).toBeDefined();
    await second.close();
    expect(await inbox.status('c-two')).toBeUndefined();
  });
});
