import { describe, expect, it } from 'vitest';
import { isLoomError } from '../errors/index.js';
import { parseModelRef } from './parse-model-ref.js';

describe('parseModelRef', () => {
  it('splits provider and model at the first slash', () => {
    expect(parseModelRef('anthropic/claude-sonnet-4-5')).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
    });
    expect(parseModelRef('openai/meta-llama/Llama-3.1-8B-Instruct')).toEqual({
      provider: 'openai',
      model: 'meta-llama/Llama-3.1-8B-Instruct',
    });
    expect(parseModelRef(' openai/qwen3:8b ')).toEqual({ provider: 'openai', model: 'qwen3:8b' });
  });

  it.each(['claude-sonnet-4-5', 'anthropic/', '/gpt-4.1', 'Anthropic/claude', '', 'open ai/gpt-4o'])(
    'refuses %j with invalid_input',
    (ref) => {
      let thrown: unknown;
      try {
        parseModelRef(ref);
      } catch (error) {
        thrown = error;
      }
      expect(isLoomError(thrown, 'invalid_input')).toBe(true);
      expect((thrown as Error).message).toContain('provider/model');
    },
  );
});
