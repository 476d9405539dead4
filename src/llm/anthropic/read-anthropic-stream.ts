import type { RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { FinishReason, LlmStreamEvent, Usage } from '../llm-types.js';
import { cacheCounts, oneHourCacheWrites } from '../cache-counts.js';
import { ToolCallAccumulator } from '../provider/tool-call-accumulator.js';

/**
 * Anthropic stream events → Loom events. Pure over its input. Tool calls are numbered 0, 1, ... in
 * the order they start (Anthropic's content block index also counts text blocks), so `index` means
 * the same for every provider. A stream that ends before `message_stop` was cut: it yields a
 * retryable error, never a half answer.
 */
export async function* readAnthropicStream(
  events: AsyncIterable<RawMessageStreamEvent>,
): AsyncGenerator<LlmStreamEvent> {
  let text = '';
  let usage: Usage = { input_tokens: 0, output_tokens: 0 };
  let stopReason: StopReason | null = null;
  const toolCalls = new ToolCallAccumulator();
  /** Anthropic content block index → Loom tool call index. */
  const toolIndexByBlock = new Map<number, number>();

  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        usage = fromAnthropicUsage(event.message.usage, usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          const index = toolCalls.size;
          toolIndexByBlock.set(event.index, index);
          toolCalls.start(index, block.id, block.name, asObject(block.input));
          yield { type: 'tool_call_delta', index, id: block.id, name: block.name, arguments_delta: '' };
        } else if (block.type === 'text' && block.text) {
          text += block.text;
          yield { type: 'text_delta', text: block.text };
        }
        break;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') {
          text += delta.text;
          yield { type: 'text_delta', text: delta.text };
        } else if (delta.type === 'input_json_delta') {
          const index = toolIndexByBlock.get(event.index);
          if (index === undefined) break; // arguments of a server tool we did not offer
          toolCalls.append(index, delta.partial_json);
          yield { type: 'tool_call_delta', index, arguments_delta: delta.partial_json };
        }
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        usage = fromAnthropicUsage(event.usage, usage);
        break;
      case 'message_stop': {
        const finished = toolCalls.finish();
        if (!finished.ok) {
          yield { type: 'error', error: finished.error };
          return;
        }
        const finishReason = toFinishReason(stopReason, finished.toolCalls.length > 0);
        yield {
          type: 'completed',
          response: {
            message: { role: 'assistant', content: text },
            tool_calls: finished.toolCalls,
            usage,
            finish_reason: finishReason,
          },
        };
        return;
      }
    }
  }
  yield {
    type: 'error',
    error: {
      code: 'upstream_unavailable',
      message: 'the Anthropic stream ended before message_stop',
      retryable: true,
    },
  };
}

/**
 * Anthropic counts cached input apart from `input_tokens`; Loom's `input_tokens` is all input, and
 * the cached parts are named within it so they are priced as what they are.
 */
function fromAnthropicUsage(
  reported: {
    input_tokens?: number | null;
    output_tokens?: number | null;
    cache_creation_input_tokens?: number | null;
    cache_read_input_tokens?: number | null;
    cache_creation?: unknown;
  },
  previous: Usage,
): Usage {
  const input =
    reported.input_tokens === null || reported.input_tokens === undefined
      ? undefined
      : reported.input_tokens +
        (reported.cache_creation_input_tokens ?? 0) +
        (reported.cache_read_input_tokens ?? 0);
  return {
    input_tokens: input ?? previous.input_tokens,
    output_tokens: reported.output_tokens ?? previous.output_tokens,
    ...cacheCounts(
      reported.cache_read_input_tokens ?? previous.cache_read_input_tokens,
      reported.cache_creation_input_tokens ?? previous.cache_creation_input_tokens,
      oneHourCacheWrites(reported) ?? previous.cache_creation_1h_input_tokens,
    ),
  };
}

/** Exported for tests: how Anthropic's stop reasons read in Loom. */
export function toFinishReason(stopReason: StopReason | null, hasToolCalls: boolean): FinishReason {
  switch (stopReason) {
    case 'tool_use':
      return 'tool_use';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max_tokens';
    default:
      // end_turn, stop_sequence, pause_turn, refusal: the turn is over; a refusal is the model's answer.
      return hasToolCalls ? 'tool_use' : 'stop';
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
