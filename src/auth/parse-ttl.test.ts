import { describe, expect, it } from 'vitest';
import { parseTtl } from './parse-ttl.js';

describe('parseTtl', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseTtl('90')).toBe(90);
    expect(parseTtl('90s')).toBe(90);
    expect(parseTtl('15m')).toBe(900);
    expect(parseTtl('1h')).toBe(3600);
    expect(parseTtl('7d')).toBe(604_800);
  });

  it('refuses nonsense, zero and lifetimes over 30 days', () => {
    for (const text of ['', 'h', '1w', '-1h', '1.5h', '0s', '31d']) expect(() => parseTtl(text)).toThrow();
  });
});
