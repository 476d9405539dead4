import type { LlmErrorPayload, ToolCall } from '../llm-types.js';

interface PendingToolCall {
  id: string;
  name: string;
  argumentsJson: string;
  /** Arguments a provider sent whole (Anthropic's `content_block_start.input`), used when no deltas came. */
  initialArguments: Record<string, unknown> | undefined;
}

export type FinishedToolCalls = { ok: true; toolCalls: ToolCall[] } | { ok: false; error: LlmErrorPayload };

/**
 * Builds complete tool calls from streamed fragments. Both providers stream a call as "start (id,
 * name)" followed by pieces of a JSON string; the pieces only form valid JSON at the end, so the
 * arguments are parsed once, in `finish`.
 */
export class ToolCallAccumulator {
  readonly #calls: PendingToolCall[] = [];

  /** Number of calls started so far; the next call's index. */
  get size(): number {
    return this.#calls.length;
  }

  start(index: number, id: string, name: string, initialArguments?: Record<string, unknown>): void {
    this.#calls[index] = { id, name, argumentsJson: '', initialArguments };
  }

  /**
   * Adds a fragment. OpenAI-compatible servers announce a call with its first fragment rather than
   * with a separate start, so the first id and name seen for an index are kept.
   */
  append(index: number, fragment: string, id?: string, name?: string): void {
    const call = this.#calls[index] ?? { id: '', name: '', argumentsJson: '', initialArguments: undefined };
    call.argumentsJson += fragment;
    if (id && call.id === '') call.id = id;
    if (name && call.name === '') call.name = name;
    this.#calls[index] = call;
  }

  finish(): FinishedToolCalls {
    const toolCalls: ToolCall[] = [];
    for (const [index, call] of this.#calls.entries()) {
      if (call === undefined) continue;
      const parsed = parseArguments(call);
      if (parsed === undefined) {
        return {
          ok: false,
          error: {
            code: 'upstream_rejected',
            // A sampling accident (or a cut at max_tokens): another attempt usually produces valid JSON.
            retryable: true,
            message: `the model's arguments for tool call ${index} (${call.name || 'unnamed'}) are not a JSON object`,
          },
        };
      }
      toolCalls.push({ id: call.id, name: call.name, arguments: parsed });
    }
    return { ok: true, toolCalls };
  }
}

function parseArguments(call: PendingToolCall): Record<string, unknown> | undefined {
  if (call.argumentsJson.trim() === '') return call.initialArguments ?? {};
  try {
    const value: unknown = JSON.parse(call.argumentsJson);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
