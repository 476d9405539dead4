import { describe, expect, it } from 'vitest';
import { planToolBatches } from './plan-tool-batches.js';

const call = (id: string, name: string) => ({ id, name, arguments: {} });
const readOnly = (name: string) => name.startsWith('read');

describe('planToolBatches', () => {
  it('groups consecutive read-only calls and isolates each mutating call, keeping call order', () => {
    const batches = planToolBatches(
      [call('1', 'read_a'), call('2', 'read_b'), call('3', 'write'), call('4', 'write'), call('5', 'read_c')],
      readOnly,
    );
    expect(batches.map((batch) => [batch.readOnly, batch.calls.map((c) => c.id)])).toEqual([
      [true, ['1', '2']],
      [false, ['3']],
      [false, ['4']],
      [true, ['5']],
    ]);
  });

  it('returns no batch for no calls', () => {
    expect(planToolBatches([], readOnly)).toEqual([]);
  });
});
