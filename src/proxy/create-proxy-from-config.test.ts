import { describe, expect, it } from 'vitest';
import { defaultAnthropicModel, defaultOpenAiModel } from '../config/index.js';
import { defaultModelsFromConfig } from './create-proxy-from-config.js';

const bare = (ref: string) => ref.slice(ref.indexOf('/') + 1);

describe('defaultModelsFromConfig', () => {
  it("uses LOOM_MODEL for its provider and Loom's defaults elsewhere", () => {
    const builtIn = { anthropic: bare(defaultAnthropicModel), openai: bare(defaultOpenAiModel) };
    expect(defaultModelsFromConfig(undefined)).toEqual(builtIn);
    expect(defaultModelsFromConfig('openai/gpt-5-mini')).toEqual({ ...builtIn, openai: 'gpt-5-mini' });
    expect(defaultModelsFromConfig('anthropic/claude-haiku-4-5')).toEqual({
      ...builtIn,
      anthropic: 'claude-haiku-4-5',
    });
    expect(defaultModelsFromConfig('ollama/llama3')).toEqual(builtIn);
  });
});
