import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../errors/index.js';
import { createConcurrencyGate, type GateWaitNotice } from './concurrency-gate.js';

describe('createConcurrencyGate', () => {
  it('admits up to the limit at once, then queues first come, first served', async () => {
    const gate = createConcurrencyGate(2);
    const first = await gate.acquire();
    await gate.acquire();
    const order: string[] = [];
    const third = gate.acquire().then((release) => (order.push('third'), release));
    const fourth = gate.acquire().then((release) => (order.push('fourth'), release));
    expect(gate.running).toBe(2);
    expect(gate.waiting).toBe(2);
    first();
    first(); // releasing twice frees one slot only
    await third;
    expect(order).toEqual(['third']);
    expect(gate.running).toBe(2);
    expect(gate.waiting).toBe(1);
    (await third)();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });

  it('tells a waiting caller its place in line each time it changes', async () => {
    const gate = createConcurrencyGate(1);
    const release = await gate.acquire();
    const firstNotices: GateWaitNotice[] = [];
    const secondNotices: GateWaitNotice[] = [];
    const first = gate.acquire({ onWaiting: (notice) => firstNotices.push(notice) });
    const second = gate.acquire({ onWaiting: (notice) => secondNotices.push(notice) });
    expect(firstNotices).toEqual([{ position: 1, running: 1, limit: 1 }]);
    expect(secondNotices).toEqual([{ position: 2, running: 1, limit: 1 }]);
    release();
    await first;
    expect(secondNotices.at(-1)).toEqual({ position: 1, running: 1, limit: 1 });
    expect(firstNotices).toHaveLength(1);
    void second;
  });

  it('lets a waiting caller give up, and moves the others up', async () => {
    const gate = createConcurrencyGate(1);
    await gate.acquire();
    const controller = new AbortController();
    const notices: number[] = [];
    const leaving = gate.acquire({ signal: controller.signal });
    void gate.acquire({ onWaiting: (notice) => notices.push(notice.position) });
    controller.abort();
    await expect(leaving).rejects.toSatisfy((error) => isLoomError(error, 'cancelled'));
    expect(notices).toEqual([2, 1]);
    expect(gate.waiting).toBe(1);
    await expect(gate.acquire({ signal: AbortSignal.abort() })).rejects.toSatisfy((error) =>
      isLoomError(error, 'cancelled'),
    );
  });
});
