import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { FinishReason, LlmStreamEvent, Usage } from '../llm-types.js';
import { cacheCounts } from '../cache-counts.js';
import { ToolCallAccumulator } from '../provider/tool-call-accumulator.js';

type OpenAiFinishReason = ChatCompletionChunk.Choice['finish_reason'];

/**
 * Chat Completions chunks → Loom events. Pure over its input. The answer is complete once a choice
 * carried a `finish_reason`; the usage chunk (`include_usage`) may follow it. A stream that ends
 * without a finish reason was cut: it yields a retryable error.
 */
export async function* readOpenAiStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
): AsyncGenerator<LlmStreamEvent> {
  let text = '';
  let usage: Usage = { input_tokens: 0, output_tokens: 0 };
  let finishReason: OpenAiFinishReason = null;
  const toolCalls = new ToolCallAccumulator();
  let lastCall: LastCall = { index: -1, id: undefined };

  for await (const chunk of chunks) {
    if (chunk.usage) {
      usage = {
        input_tokens: chunk.usage.prompt_tokens,
        output_tokens: chunk.usage.completion_tokens,
        // Cached prompt tokens are counted within prompt_tokens, and cost less.
        ...cacheCounts(chunk.usage.prompt_tokens_details?.cached_tokens, undefined),
      };
    }
    const choice = chunk.choices?.[0];
    if (choice === undefined) continue;
    const delta = choice.delta ?? {};
    if (delta.content) {
      text += delta.content;
      yield { type: 'text_delta', text: delta.content };
    }
    for (const call of delta.tool_calls ?? []) {
      const index = resolveToolIndex(call, lastCall);
      lastCall = { index, id: call.id ?? lastCall.id };
      const argumentsDelta = call.function?.arguments ?? '';
      toolCalls.append(index, argumentsDelta, call.id, call.function?.name);
      yield {
        type: 'tool_call_delta',
        index,
        ...(call.id ? { id: call.id } : {}),
        ...(call.function?.name ? { name: call.function.name } : {}),
        arguments_delta: argumentsDelta,
      };
    }
    finishReason = choice.finish_reason ?? finishReason;
  }

  if (finishReason === null) {
    yield {
      type: 'error',
      error: {
        code: 'upstream_unavailable',
        message: 'the OpenAI-compatible stream ended before a finish_reason',
        retryable: true,
      },
    };
    return;
  }
  const finished = toolCalls.finish();
  if (!finished.ok) {
    yield { type: 'error', error: finished.error };
    return;
  }
  yield {
    type: 'completed',
    response: {
      message: { role: 'assistant', content: text },
      tool_calls: finished.toolCalls,
      usage,
      finish_reason: toFinishReason(finishReason, finished.toolCalls.length > 0),
    },
  };
}

interface LastCall {
  index: number;
  id: string | undefined;
}

/** Some OpenAI-compatible servers omit `index` (typed as required, but absent on the wire): a new id is a new call. */
function resolveToolIndex(call: { index?: number; id?: string }, last: LastCall): number {
  if (typeof call.index === 'number') return call.index;
  if (call.id && call.id !== last.id) return last.index + 1;
  return Math.max(last.index, 0);
}

/** Exported for tests: how Chat Completions finish reasons read in Loom. */
export function toFinishReason(reason: NonNullable<OpenAiFinishReason>, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'length':
      return 'max_tokens';
    default:
      // 'stop', 'content_filter'. Some local servers say 'stop' after tool calls: the calls decide.
      return hasToolCalls ? 'tool_use' : 'stop';
  }
}
