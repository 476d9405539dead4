/** Test fixtures in the providers' real streaming wire formats (Server-Sent Events). */

export interface SseEvent {
  /** Anthropic names every event; OpenAI sends data-only events. */
  event?: string;
  data: unknown;
}

/** Serializes events exactly as the providers do: `event:` line, `data:` line, blank line. */
export function toSse(events: SseEvent[]): string {
  return events
    .map(({ event, data }) => {
      const payload = typeof data === 'string' ? data : JSON.stringify(data);
      return `${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`;
    })
    .join('');
}

export const sseHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

/** Anthropic's opening event; usage as the API reports it at the start of a message. */
export function anthropicMessageStart(inputTokens = 25, model = 'claude-sonnet-4-5-20250929'): SseEvent {
  return {
    event: 'message_start',
    data: {
      type: 'message_start',
      message: {
        id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
        type: 'message',
        role: 'assistant',
        content: [],
        model,
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: inputTokens,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
        },
      },
    },
  };
}

export function anthropicBlockStart(index: number, contentBlock: Record<string, unknown>): SseEvent {
  return {
    event: 'content_block_start',
    data: { type: 'content_block_start', index, content_block: contentBlock },
  };
}

export function anthropicTextDelta(index: number, text: string): SseEvent {
  return {
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } },
  };
}

export function anthropicJsonDelta(index: number, partialJson: string): SseEvent {
  return {
    event: 'content_block_delta',
    data: {
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json: partialJson },
    },
  };
}

export function anthropicBlockStop(index: number): SseEvent {
  return { event: 'content_block_stop', data: { type: 'content_block_stop', index } };
}

export function anthropicMessageDelta(stopReason: string, outputTokens: number): SseEvent {
  return {
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    },
  };
}

export const anthropicPing: SseEvent = { event: 'ping', data: { type: 'ping' } };
export const anthropicMessageStop: SseEvent = { event: 'message_stop', data: { type: 'message_stop' } };

/** A complete plain-text answer, split into the given pieces. */
export function anthropicTextAnswer(pieces: string[], outputTokens = 12): SseEvent[] {
  return [
    anthropicMessageStart(),
    anthropicBlockStart(0, { type: 'text', text: '' }),
    anthropicPing,
    ...pieces.map((piece) => anthropicTextDelta(0, piece)),
    anthropicBlockStop(0),
    anthropicMessageDelta('end_turn', outputTokens),
    anthropicMessageStop,
  ];
}

/** Anthropic's error event inside a 200 stream. */
export function anthropicErrorEvent(type: string, message: string): SseEvent {
  return { event: 'error', data: { type: 'error', error: { type, message } } };
}

/** One OpenAI Chat Completions chunk with a single choice. */
export function openAiChunk(delta: Record<string, unknown>, finishReason: string | null = null): SseEvent {
  return {
    data: {
      id: 'chatcmpl-BQJd2ZlRFRpXgWm3i9bSbyjAdF5ND',
      object: 'chat.completion.chunk',
      created: 1745490000,
      model: 'gpt-4.1-2025-04-14',
      system_fingerprint: 'fp_b38e740b47',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      usage: null,
    },
  };
}

/** The last chunk when `stream_options.include_usage` is on: no choices, only usage. */
export function openAiUsageChunk(promptTokens: number, completionTokens: number): SseEvent {
  return {
    data: {
      id: 'chatcmpl-BQJd2ZlRFRpXgWm3i9bSbyjAdF5ND',
      object: 'chat.completion.chunk',
      created: 1745490000,
      model: 'gpt-4.1-2025-04-14',
      system_fingerprint: 'fp_b38e740b47',
      choices: [],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
      },
    },
  };
}

export const openAiDone: SseEvent = { data: '[DONE]' };

/** A complete plain-text answer from an OpenAI-compatible server. */
export function openAiTextAnswer(pieces: string[]): SseEvent[] {
  return [
    openAiChunk({ role: 'assistant', content: '', refusal: null }),
    ...pieces.map((piece) => openAiChunk({ content: piece })),
    openAiChunk({}, 'stop'),
    openAiUsageChunk(19, pieces.length),
    openAiDone,
  ];
}
