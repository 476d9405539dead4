import { describe, expect, it } from 'vitest';
import {
  maxReconnectDelayMs,
  producerConnectionOptions,
  reconnectDelayMs,
  workerConnectionOptions,
} from './redis-connection.js';

const settings = { url: 'redis://127.0.0.1:6379', connectionName: 'loom-test' };

describe('reconnectDelayMs', () => {
  it('doubles from 100 ms and stops at the cap', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 10, 100].map((attempt) => reconnectDelayMs(attempt, middle))).toEqual([
      100, 200, 400, 800, 1600, 3000, 3000, 3000,
    ]);
  });

  it('spreads delays by ±20 % so clients do not reconnect in lockstep', () => {
    expect(reconnectDelayMs(20, () => 0)).toBe(maxReconnectDelayMs * 0.8);
    expect(reconnectDelayMs(20, () => 0.999999)).toBeCloseTo(maxReconnectDelayMs * 1.2, -1);
  });
});

describe('connection options', () => {
  it('lets workers wait out an outage, as BullMQ requires', () => {
    const options = workerConnectionOptions(settings);
    expect(options).toMatchObject({
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      connectionName: 'loom-test',
    });
  });

  it('makes producers fail fast', () => {
    const options = producerConnectionOptions(settings);
    expect(options).toMatchObject({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
    });
    expect(options.retryStrategy?.(3)).toBeGreaterThan(0);
  });
});
