import { describe, expect, it } from 'vitest';
import { isLoomError } from '../src/errors/index.js';
import { jobIdForDelivery, maxDeliveryIdLength } from './job-id.js';

describe('jobIdForDelivery', () => {
  it('keeps a GitHub delivery GUID readable and stable', () => {
    const guid = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
    expect(jobIdForDelivery(guid)).toBe(`d-${guid}`);
    expect(jobIdForDelivery(guid)).toBe(jobIdForDelivery(guid));
  });

  it('never contains a colon', () => {
    const id = jobIdForDelivery('slack:Ev0123:retry');
    expect(id).not.toContain(':');
    expect(id).toBe('d-slack%3AEv0123%3Aretry');
  });

  it('maps different delivery ids to different job ids, even those a replacement would merge', () => {
    const ids = ['a:b', 'a_b', 'a%3Ab', 'a b', 'a/b', 'é', 'e'].map(jobIdForDelivery);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never produces an integer id, which BullMQ rejects', () => {
    expect(jobIdForDelivery('12345')).toBe('d-12345');
  });

  it('escapes non-ASCII characters as UTF-8 bytes', () => {
    expect(jobIdForDelivery('é')).toBe('d-%C3%A9');
  });

  it.each(['', '   ', '\n'])('rejects the blank delivery id %j', (deliveryId) => {
    expect(() => jobIdForDelivery(deliveryId)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('rejects an over-long delivery id', () => {
    let caught: unknown;
    try {
      jobIdForDelivery('x'.repeat(maxDeliveryIdLength + 1));
    } catch (error) {
      caught = error;
    }
    expect(isLoomError(caught, 'invalid_input')).toBe(true);
  });
});
