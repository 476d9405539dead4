/**
 * Model clients behind the `LlmClient` port: Anthropic (Messages API) and OpenAI-compatible (Chat
 * Completions: OpenAI, Ollama, vLLM) adapters, the factory that picks one from `provider/model`,
 * prices, and a helper for callers that want the whole answer at once.
 */
export type * from './llm-types.js';
export { createAnthropicClient, defaultAnthropicBaseUrl } from './anthropic/create-anthropic-client.js';
export type { AnthropicClientOptions } from './anthropic/create-anthropic-client.js';
export { createOpenAiClient, defaultOpenAiBaseUrl } from './openai/create-openai-client.js';
export type { OpenAiClientOptions } from './openai/create-openai-client.js';
export type { MaxTokensField } from './openai/to-openai-request.js';
// The pure translators, for the LLM proxy's normalized routes (it owns the HTTP, the adapters' readers own the format).
export { toAnthropicRequest } from './anthropic/to-anthropic-request.js';
export { readAnthropicStream } from './anthropic/read-anthropic-stream.js';
export { toOpenAiRequest } from './openai/to-openai-request.js';
export { readOpenAiStream } from './openai/read-openai-stream.js';
export { createLlmClient, llmClientFactories } from './create-llm-client.js';
export type { CreateLlmClientOptions, LlmClientFactory } from './create-llm-client.js';
export { parseModelRef } from './parse-model-ref.js';
export type { ModelRef } from './parse-model-ref.js';
export { cacheCounts, oneHourCacheWrites } from './cache-counts.js';
export { costOfUsage, modelPrices, priceOfModel } from './model-prices.js';
export { readModelPricesFile } from './read-model-prices-file.js';
export type { ModelPrice, ResolvedModelPrice } from './model-prices.js';
export { collectResponse, loomErrorFromPayload } from './collect-response.js';
export { parseRetryAfterMs } from './provider/parse-retry-after-ms.js';
export type { HeaderReader } from './provider/parse-retry-after-ms.js';
export { classifyProviderStatus } from './provider/llm-error-from-status.js';
export { defaultIdleTimeoutMs } from './provider/run-provider-stream.js';
export { createScriptedLlmClient, scriptedStep } from './scripted-llm-client.js';
export type {
  ScriptedLlmClient,
  ScriptedLlmClientOptions,
  ScriptedPartialOutput,
  ScriptedReplyFunction,
  ScriptedStep,
} from './scripted-llm-client.js';
