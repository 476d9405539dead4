import { LoomError } from '../errors/index.js';
import type { LoomConfig } from '../config/index.js';
import { createAnthropicClient } from './anthropic/create-anthropic-client.js';
import type { LlmClient } from './llm-types.js';
import { createOpenAiClient } from './openai/create-openai-client.js';

export interface CreateLlmClientOptions extends Pick<LoomConfig, 'anthropic' | 'openai'> {
  /** The provider part of a model reference (see `parseModelRef`). */
  provider: string;
  /** Longest provider silence before a retryable `timeout` (default 180 s). */
  idleTimeoutMs?: number | undefined;
}

/** Builds the client of one provider from the options; throws `config_invalid` if it cannot. */
export type LlmClientFactory = (options: CreateLlmClientOptions) => LlmClient;

/**
 * The providers Loom can call directly. Extension point: the proxy client (an LlmClient that talks to
 * Loom's `/proxy/{provider}/stream`) registers here as `proxy`, with its URL and token added to
 * `CreateLlmClientOptions`; callers pass their own table to `createLlmClient` in tests or tools.
 */
export const llmClientFactories: Readonly<Record<string, LlmClientFactory>> = {
  anthropic: ({ anthropic, idleTimeoutMs }) => {
    // A custom base URL (Loom's proxy, a gateway) may not want a key; api.anthropic.com always does.
    if (!anthropic.apiKey && !anthropic.baseUrl) {
      throw new LoomError(
        'config_invalid',
        'ANTHROPIC_API_KEY is not set, so anthropic/* models cannot be used',
      );
    }
    return createAnthropicClient({
      apiKey: anthropic.apiKey || 'loom-no-api-key',
      baseUrl: anthropic.baseUrl,
      idleTimeoutMs,
    });
  },
  openai: ({ openai, idleTimeoutMs }) => {
    // Ollama and vLLM need no key, but only a custom base URL can point at them.
    if (!openai.apiKey && !openai.baseUrl) {
      throw new LoomError(
        'config_invalid',
        'neither OPENAI_API_KEY nor OPENAI_BASE_URL is set, so openai/* models cannot be used',
      );
    }
    return createOpenAiClient({ apiKey: openai.apiKey, baseUrl: openai.baseUrl, idleTimeoutMs });
  },
};

/**
 * The `LlmClient` for a provider, from the config's provider settings. Unknown provider →
 * `invalid_input`; known provider without credentials → `config_invalid`.
 */
export function createLlmClient(
  options: CreateLlmClientOptions,
  factories: Readonly<Record<string, LlmClientFactory>> = llmClientFactories,
): LlmClient {
  const factory = Object.hasOwn(factories, options.provider) ? factories[options.provider] : undefined;
  if (factory === undefined) {
    throw new LoomError(
      'invalid_input',
      `unknown model provider "${options.provider}" (known: ${Object.keys(factories).join(', ')})`,
      { details: { provider: options.provider } },
    );
  }
  return factory(options);
}
