import { describe, expect, it } from 'vitest';
import { jsonCopyWith } from './json-copy.js';

describe('jsonCopyWith', () => {
  it('sets the changed keys in place and keeps the rest in order', () => {
    const source = JSON.parse('{"model":"default","max_tokens":5,"stream":true}') as Record<string, unknown>;
    const copy = jsonCopyWith(source, { model: 'claude-sonnet-4-6', extra: 1 });
    expect(JSON.stringify(copy)).toBe('{"model":"claude-sonnet-4-6","max_tokens":5,"stream":true,"extra":1}');
    expect(source.model).toBe('default');
  });

  it('keeps a __proto__ key of the JSON as an own key, as a spread did', () => {
    const source = JSON.parse('{"__proto__":{"polluted":true},"model":"a"}') as Record<string, unknown>;
    const copy = jsonCopyWith(source, { model: 'b' });
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"model":"b"}');
    expect(JSON.stringify(copy)).toBe(JSON.stringify({ ...source, model: 'b' }));
    expect((copy as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
