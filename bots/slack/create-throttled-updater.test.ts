import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSilentLogger } from '../../src/logging/index.js';
import { createThrottledUpdater } from './create-throttled-updater.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function updater(fail = false) {
  const sent: Array<{ text: string; at: number }> = [];
  const throttled = createThrottledUpdater({
    intervalMs: 1000,
    logger: createSilentLogger(),
    now: () => Date.now(),
    send: async (text) => {
      if (fail) throw new Error('slack is down');
      sent.push({ text, at: Date.now() });
    },
  });
  return { throttled, sent };
}

describe('createThrottledUpdater', () => {
  it('sends the first text at once and then at most one per interval, latest text winning', async () => {
    const { throttled, sent } = updater();
    const start = Date.now();
    for (let index = 0; index < 50; index += 1) {
      throttled.update(`text ${index}`);
      await vi.advanceTimersByTimeAsync(100);
    }
    await throttled.flush();
    expect(sent[0]).toEqual({ text: 'text 0', at: start });
    for (let index = 1; index < sent.length; index += 1) {
      expect(
        (sent[index] as { at: number }).at - (sent[index - 1] as { at: number }).at,
      ).toBeGreaterThanOrEqual(1000);
    }
    expect(sent.length).toBeLessThanOrEqual(6);
    expect(sent.at(-1)?.text).toBe('text 49');
  });

  it('skips a text equal to the last one sent and sends nothing after stop', async () => {
    const { throttled, sent } = updater();
    throttled.update('same');
    await throttled.flush();
    await vi.advanceTimersByTimeAsync(1500);
    throttled.update('same');
    await throttled.flush();
    throttled.stop();
    throttled.update('after stop');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent.map((item) => item.text)).toEqual(['same']);
  });

  it('never throws when sending fails', async () => {
    const { throttled } = updater(true);
    throttled.update('x');
    await expect(throttled.flush()).resolves.toBeUndefined();
  });
});
