import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createKeyedMutex } from './keyed-mutex.js';

describe('createKeyedMutex', () => {
  it('runs work of one key in order, other keys alongside, and survives a failure', async () => {
    const mutex = createKeyedMutex();
    const order: string[] = [];
    const step =
      (name: string, ms: number, fail = false) =>
      async () => {
        order.push(`${name}:start`);
        await sleep(ms);
        order.push(`${name}:end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      mutex.run('a', step('a1', 30, true)),
      mutex.run('a', step('a2', 1)),
      mutex.run('b', step('b1', 5)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(order.indexOf('a2:start')).toBeGreaterThan(order.indexOf('a1:end'));
    expect(order.indexOf('b1:end')).toBeLessThan(order.indexOf('a1:end'));
  });
});
