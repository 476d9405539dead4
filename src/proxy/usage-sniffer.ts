/**
 * Reads token usage out of provider payloads as they pass, so a call is metered even when its
 * stream breaks before the end (Anthropic reports input tokens first, output tokens last). Anthropic
 * counts cached input apart; all input is summed, as the model adapters do, and the cached parts
 * named within it (OpenAI's `cached_tokens` too) so they are priced as what they are.
 */
import { cacheCounts, oneHourCacheWrites, type Usage } from '../llm/index.js';
import type { ProxyProvider } from './usage-ledger.js';

export interface UsageSniffer {
  /** One parsed payload: a stream event / chunk, or a whole non-streamed response. */
  observe(payload: unknown): void;
  usage(): Usage;
}

type Counts = Record<string, unknown>;

export function createUsageSniffer(provider: ProxyProvider): UsageSniffer {
  let usage: Usage = { input_tokens: 0, output_tokens: 0 };
  return {
    observe(payload) {
      if (typeof payload !== 'object' || payload === null) return;
      const data = payload as {
        type?: unknown;
        message?: { usage?: Counts };
        response?: { usage?: Counts | null };
        usage?: Counts | null;
      };
      const counts =
        data.type === 'message_start'
          ? data.message?.usage
          : // Responses API stream events carry the whole response; the final one has its usage.
            typeof data.type === 'string' && data.type.startsWith('response.')
            ? data.response?.usage
            : data.usage;
      if (typeof counts !== 'object' || counts === null) return;
      usage = provider === 'anthropic' ? fromAnthropic(counts, usage) : fromOpenAi(counts, usage);
    },
    usage: () => usage,
  };
}

function fromAnthropic(counts: Counts, previous: Usage): Usage {
  const input = numberOr(counts.input_tokens, undefined);
  return {
    input_tokens:
      input === undefined
        ? previous.input_tokens
        : input +
          numberOr(counts.cache_creation_input_tokens, 0) +
          numberOr(counts.cache_read_input_tokens, 0),
    // `output_tokens` in message_delta is cumulative, so the latest value is the total.
    output_tokens: numberOr(counts.output_tokens, previous.output_tokens),
    ...cacheCounts(
      numberOr(counts.cache_read_input_tokens, previous.cache_read_input_tokens),
      numberOr(counts.cache_creation_input_tokens, previous.cache_creation_input_tokens),
      oneHourCacheWrites(counts) ?? previous.cache_creation_1h_input_tokens,
    ),
  };
}

/** Chat Completions name them `prompt_tokens` / `completion_tokens`, the Responses API `input_tokens` / `output_tokens`. */
function fromOpenAi(counts: Counts, previous: Usage): Usage {
  // Chat Completions: `prompt_tokens_details`; the Responses API: `input_tokens_details`.
  const details = (counts.prompt_tokens_details ?? counts.input_tokens_details) as Counts | null | undefined;
  return {
    input_tokens: numberOr(counts.prompt_tokens ?? counts.input_tokens, previous.input_tokens),
    output_tokens: numberOr(counts.completion_tokens ?? counts.output_tokens, previous.output_tokens),
    ...cacheCounts(numberOr(details?.cached_tokens, previous.cache_read_input_tokens), undefined),
  };
}

function numberOr<T extends number | undefined>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
