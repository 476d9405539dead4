import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { LlmClient } from '../llm-types.js';
import { defaultIdleTimeoutMs, runProviderStream } from '../provider/run-provider-stream.js';
import { openAiErrorPayload } from './openai-error-payload.js';
import { readOpenAiStream } from './read-openai-stream.js';
import { toOpenAiRequest, type MaxTokensField } from './to-openai-request.js';

export const defaultOpenAiBaseUrl = 'https://api.openai.com/v1';

/** Sent when no key is configured: Ollama and vLLM ignore it, and the SDK refuses to run without one. */
export const placeholderOpenAiApiKey = 'loom-no-api-key';

export interface OpenAiClientOptions {
  /** Optional for self-hosted servers (Ollama, vLLM) that do not check keys. */
  apiKey?: string | undefined;
  /** `OPENAI_BASE_URL`, e.g. `http://127.0.0.1:11434/v1` for Ollama or `http://host:8000/v1` for vLLM. */
  baseUrl?: string | undefined;
  /** Default: `max_completion_tokens` for api.openai.com, `max_tokens` for any other server. */
  maxTokensField?: MaxTokensField | undefined;
  /** Longest silence before the answer starts or between chunks; then a retryable `timeout`. */
  idleTimeoutMs?: number | undefined;
}

/**
 * The OpenAI-compatible adapter of the `LlmClient` port: Chat Completions, always streaming, which
 * OpenAI, Ollama and vLLM all serve. The SDK does not retry (`maxRetries: 0`): the agent runtime owns
 * retries and `retry-after`.
 */
export function createOpenAiClient(options: OpenAiClientOptions = {}): LlmClient {
  const baseUrl = options.baseUrl ?? defaultOpenAiBaseUrl;
  const sdk = new OpenAI({
    apiKey: options.apiKey || placeholderOpenAiApiKey,
    // All explicit, so the SDK reads none of OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID itself.
    baseURL: baseUrl,
    organization: null,
    project: null,
    maxRetries: 0,
    logLevel: 'off',
  });
  const maxTokensField =
    options.maxTokensField ?? (isOfficialOpenAi(baseUrl) ? 'max_completion_tokens' : 'max_tokens');
  return {
    provider: 'openai',
    stream(request, callOptions = {}) {
      return runProviderStream<ChatCompletionChunk>({
        providerLabel: 'OpenAI-compatible server',
        signal: callOptions.signal,
        idleTimeoutMs: options.idleTimeoutMs ?? defaultIdleTimeoutMs,
        open: (signal) => sdk.chat.completions.create(toOpenAiRequest(request, maxTokensField), { signal }),
        read: readOpenAiStream,
        toError: (error) => openAiErrorPayload(error, options.apiKey),
      });
    },
  };
}

function isOfficialOpenAi(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}
