import { describe, expect, it } from 'vitest';
import { createSteeringQueue } from './steering-queue.js';

describe('createSteeringQueue', () => {
  it('drains pushed messages oldest first, and only once', () => {
    const queue = createSteeringQueue();
    queue.push('first');
    queue.push('second');
    expect(queue.size).toBe(2);
    expect(queue.drain()).toEqual(['first', 'second']);
    expect(queue.drain()).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('ignores blank messages', () => {
    const queue = createSteeringQueue();
    queue.push('  \n');
    expect(queue.drain()).toEqual([]);
  });
});
