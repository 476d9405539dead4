import { describe, expect, it } from 'vitest';
import { isLoomError } from '../errors/index.js';
import { createLlmClient, llmClientFactories } from './create-llm-client.js';
import { createScriptedLlmClient } from './scripted-llm-client.js';

const none = { apiKey: undefined, baseUrl: undefined };

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isLoomError(error) ? error.code : 'not a LoomError';
  }
  return undefined;
}

describe('createLlmClient', () => {
  it('builds the Anthropic and OpenAI clients from the config parts', () => {
    expect(
      createLlmClient({ provider: 'anthropic', anthropic: { apiKey: 'k', baseUrl: undefined }, openai: none })
        .provider,
    ).toBe('anthropic');
    expect(
      createLlmClient({ provider: 'openai', anthropic: none, openai: { apiKey: 'k', baseUrl: undefined } })
        .provider,
    ).toBe('openai');
  });

  it('builds an OpenAI-compatible client with only a base URL (Ollama, vLLM)', () => {
    const client = createLlmClient({
      provider: 'openai',
      anthropic: none,
      openai: { apiKey: undefined, baseUrl: 'http://127.0.0.1:11434/v1' },
    });
    expect(client.provider).toBe('openai');
  });

  it('refuses a provider without key or base URL with config_invalid', () => {
    expect(codeOf(() => createLlmClient({ provider: 'anthropic', anthropic: none, openai: none }))).toBe(
      'config_invalid',
    );
    expect(codeOf(() => createLlmClient({ provider: 'openai', anthropic: none, openai: none }))).toBe(
      'config_invalid',
    );
  });

  it('refuses an unknown provider with invalid_input, naming the known ones', () => {
    expect(codeOf(() => createLlmClient({ provider: 'mistral', anthropic: none, openai: none }))).toBe(
      'invalid_input',
    );
    expect(codeOf(() => createLlmClient({ provider: 'toString', anthropic: none, openai: none }))).toBe(
      'invalid_input',
    );
  });

  it('accepts more providers through its factory table', () => {
    const scripted = createScriptedLlmClient([]);
    const client = createLlmClient(
      { provider: 'scripted', anthropic: none, openai: none },
      { ...llmClientFactories, scripted: () => scripted },
    );
    expect(client).toBe(scripted);
  });
});
