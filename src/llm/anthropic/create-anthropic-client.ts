import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { LlmClient } from '../llm-types.js';
import { defaultIdleTimeoutMs, runProviderStream } from '../provider/run-provider-stream.js';
import { anthropicErrorPayload } from './anthropic-error-payload.js';
import { readAnthropicStream } from './read-anthropic-stream.js';
import { defaultAnthropicMaxTokens, toAnthropicRequest } from './to-anthropic-request.js';

export const defaultAnthropicBaseUrl = 'https://api.anthropic.com';

export interface AnthropicClientOptions {
  apiKey: string;
  /** `ANTHROPIC_BASE_URL`: any server speaking the Anthropic Messages API (Loom's proxy included). */
  baseUrl?: string | undefined;
  /** Used when a request has no `max_tokens` (Anthropic requires one). */
  defaultMaxTokens?: number | undefined;
  /** Longest silence before the answer starts or between chunks; then a retryable `timeout`. */
  idleTimeoutMs?: number | undefined;
}

/**
 * The Anthropic adapter of the `LlmClient` port: Messages API, always streaming. The SDK does not
 * retry (`maxRetries: 0`): the agent runtime owns retries, backoff and `retry-after`, so a 429 or 529
 * surfaces at once as a retryable error event.
 */
export function createAnthropicClient(options: AnthropicClientOptions): LlmClient {
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    // Always explicit, so the SDK neither reads ANTHROPIC_BASE_URL itself nor looks up a profile.
    baseURL: options.baseUrl ?? defaultAnthropicBaseUrl,
    maxRetries: 0,
    // SDK 1.x sends the key only as `Authorization: Bearer`; servers that speak the Messages API
    // (gateways, proxies, older deployments) commonly read `x-api-key`, so both are sent.
    defaultHeaders: { 'x-api-key': options.apiKey },
    // The SDK would otherwise write to the console, which belongs to the REPL and to pino.
    logLevel: 'off',
  });
  const defaultMaxTokens = options.defaultMaxTokens ?? defaultAnthropicMaxTokens;
  return {
    provider: 'anthropic',
    stream(request, callOptions = {}) {
      return runProviderStream<RawMessageStreamEvent>({
        providerLabel: 'Anthropic',
        signal: callOptions.signal,
        idleTimeoutMs: options.idleTimeoutMs ?? defaultIdleTimeoutMs,
        open: (signal) => sdk.messages.create(toAnthropicRequest(request, defaultMaxTokens), { signal }),
        read: readAnthropicStream,
        toError: (error) => anthropicErrorPayload(error, options.apiKey),
      });
    },
  };
}
