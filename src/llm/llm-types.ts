/**
 * Loom's normalized model-call format. It is both the `LlmClient` port the agent runtime talks to
 * and the wire format of the proxy's `/proxy/{provider}/complete` and `/stream` routes (DESIGN §4),
 * hence the snake_case field names.
 */
import type { LoomErrorCode } from '../errors/index.js';

export interface ToolCall {
  id: string;
  name: string;
  /** Parsed JSON arguments the model produced. */
  arguments: Record<string, unknown>;
}

export interface ChatMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  /** Assistant messages: the tools the model asked for, in order. */
  tool_calls?: ToolCall[];
  /** Tool messages: which call this is the result of. */
  tool_call_id?: string;
  /** Tool messages: the result is an error the model should see as one. */
  is_error?: boolean;
}

export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the tool's input object. */
  input_schema: Record<string, unknown>;
}

export interface LlmRequest {
  /** Model name without provider prefix, or `default` (resolved server-side by the proxy). */
  model: string;
  system?: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  max_tokens?: number;
  temperature?: number;
}

export interface Usage {
  /** All input, cached or not. */
  input_tokens: number;
  output_tokens: number;
  /** Of `input_tokens`, read from the provider's prompt cache (billed at a fraction of the input price). */
  cache_read_input_tokens?: number;
  /** Of `input_tokens`, written to Anthropic's prompt cache (billed above the input price). */
  cache_creation_input_tokens?: number;
  /** Of `cache_creation_input_tokens`, written to Anthropic's one-hour cache (billed higher again). */
  cache_creation_1h_input_tokens?: number;
}

export type FinishReason = 'stop' | 'tool_use' | 'max_tokens' | 'error';

export interface LlmResponse {
  message: { role: 'assistant'; content: string };
  tool_calls: ToolCall[];
  usage: Usage;
  finish_reason: FinishReason;
}

export interface LlmErrorPayload {
  code: LoomErrorCode;
  message: string;
  /** True for 408/429/5xx/529, timeouts and streams cut mid-way; false for 400/401/403 and the like. */
  retryable: boolean;
  /** HTTP status from the provider, when there was one. */
  status?: number;
  /** From the provider's `retry-after` header, in milliseconds. */
  retry_after_ms?: number;
}

/**
 * One streamed event. A stream yields any number of deltas and then exactly one `completed` or
 * `error` event; it never throws (an abort ends it with an `error` whose code is `cancelled`).
 */
export type LlmStreamEvent =
  | { type: 'text_delta'; text: string }
  | { type: 'tool_call_delta'; index: number; id?: string; name?: string; arguments_delta: string }
  | {
      type: 'completed';
      response: LlmResponse;
      /**
       * What the call cost in USD, as Loom's proxy metered it (its price table, `LOOM_MODEL_PRICES`
       * and the model `default` resolved on the server). Only the proxy's stream sets it; a client
       * prices the call itself when it is absent.
       */
      cost_usd?: number;
    }
  | { type: 'error'; error: LlmErrorPayload };

export interface LlmCallOptions {
  signal?: AbortSignal;
}

/** The model port. Adapters: Anthropic, OpenAI-compatible, the Loom proxy, and a scripted client. */
export interface LlmClient {
  /** `anthropic`, `openai`, `proxy`, `scripted`, ... */
  readonly provider: string;
  stream(request: LlmRequest, options?: LlmCallOptions): AsyncIterable<LlmStreamEvent>;
}
