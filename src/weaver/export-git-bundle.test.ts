import { describe, expect, it } from 'vitest';
import { isSafeRef } from './export-git-bundle.js';

describe('isSafeRef', () => {
  it('refuses what git could read as an option or a second argument', () => {
    expect(isSafeRef('main')).toBe(true);
    expect(isSafeRef('0123abc')).toBe(true);
    expect(isSafeRef('--upload-pack=evil')).toBe(false);
    expect(isSafeRef('main extra')).toBe(false);
    expect(isSafeRef('')).toBe(false);
  });
});
