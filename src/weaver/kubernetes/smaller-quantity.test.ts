import { describe, expect, it } from 'vitest';
import { quantityValue, smallerQuantity } from './smaller-quantity.js';

describe('smallerQuantity', () => {
  it('compares CPU and byte quantities across suffixes', () => {
    expect(smallerQuantity('250m', '2')).toBe('250m');
    expect(smallerQuantity('250m', '100m')).toBe('100m');
    expect(smallerQuantity('1Gi', '512Mi')).toBe('512Mi');
    expect(smallerQuantity('1Gi', '1G')).toBe('1G');
    expect(smallerQuantity('1Gi', '10Gi')).toBe('1Gi');
  });

  it('reads plain numbers and rejects what is not a quantity', () => {
    expect(quantityValue('1.5')).toBe(1.5);
    expect(quantityValue('2Ki')).toBe(2048);
    expect(quantityValue('lots')).toBeNaN();
  });
});
