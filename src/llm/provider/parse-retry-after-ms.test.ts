import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from './parse-retry-after-ms.js';

const now = Date.parse('2025-06-01T12:00:00Z');

describe('parseRetryAfterMs', () => {
  it('reads retry-after in seconds', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '20' }), now)).toBe(20_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
  });

  it('reads retry-after as an HTTP date, relative to now', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 12:00:45 GMT' }), now)).toBe(
      45_000,
    );
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Sun, 01 Jun 2025 11:00:00 GMT' }), now)).toBe(0);
  });

  it('prefers retry-after-ms over retry-after', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '1234', 'retry-after': '9' }), now)).toBe(1234);
  });

  it('ignores missing, negative and unreadable values', () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '-5' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': 'x', 'retry-after': '3' }), now)).toBe(3000);
  });
});
