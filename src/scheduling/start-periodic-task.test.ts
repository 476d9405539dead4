import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../logging/index.js';
import { startPeriodicTask } from './start-periodic-task.js';

describe('startPeriodicTask', () => {
  it('never overlaps runs, keeps going after a failure, and stop waits for the run in flight', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const task = startPeriodicTask(
      async () => {
        calls += 1;
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active -= 1;
        if (calls === 2) throw new Error('one bad sweep');
        return calls;
      },
      { intervalMs: 1, logger: createSilentLogger(), what: 'test sweep' },
    );
    const explicit = await Promise.all([task.run(), task.run().catch((error: Error) => error.message)]);
    expect(explicit).toEqual([expect.any(Number), expect.anything()]);
    while (calls < 6) await new Promise((resolve) => setTimeout(resolve, 2));
    await task.stop();
    const afterStop = calls;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(afterStop);
    expect(active).toBe(0);
    expect(maxActive).toBe(1);
  });
});
