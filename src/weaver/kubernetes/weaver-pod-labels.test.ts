import { describe, expect, it } from 'vitest';
import { toLabelValue } from './weaver-pod-labels.js';

describe('toLabelValue', () => {
  it('keeps a valid value and rewrites what a label value cannot hold', () => {
    expect(toLabelValue('job-123_a.b')).toBe('job-123_a.b');
    expect(toLabelValue('acme/web#42')).toBe('acme-web-42');
    expect(toLabelValue('--x--')).toBe('x');
    expect(toLabelValue('///')).toBe('none');
  });

  it('cuts to 63 characters and ends alphanumeric', () => {
    const value = toLabelValue(`${'a'.repeat(62)}-b`);
    expect(value).toBe('a'.repeat(62));
    expect(toLabelValue('x'.repeat(100))).toHaveLength(63);
  });
});
