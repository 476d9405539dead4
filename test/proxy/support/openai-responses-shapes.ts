/**
 * The OpenAI Responses API's wire shapes (`POST /v1/responses`), as the API sends them: one
 * `response` object, or a stream of `response.*` events whose last one, `response.completed`,
 * carries the finished response and its usage.
 */
export interface ResponsesAnswer {
  model: unknown;
  texts: string[];
  inputTokens: number;
  outputTokens: number;
}

export function openAiResponseBody(answer: ResponsesAnswer, status = 'completed'): Record<string, unknown> {
  const completed = status === 'completed';
  return {
    id: 'resp_fake1',
    object: 'response',
    created_at: 1_700_000_000,
    status,
    error: null,
    model: answer.model,
    output: completed
      ? [
          {
            type: 'message',
            id: 'msg_fake1',
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: answer.texts.join(''), annotations: [] }],
          },
        ]
      : [],
    usage: completed
      ? {
          input_tokens: answer.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: answer.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: answer.inputTokens + answer.outputTokens,
        }
      : null,
  };
}

/** `[event name, data]` pairs of a streamed response. */
export function openAiResponseEvents(answer: ResponsesAnswer): Array<[string, Record<string, unknown>]> {
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): [string, Record<string, unknown>] => [
    type,
    { type, sequence_number: sequence++, ...fields },
  ];
  return [
    event('response.created', { response: openAiResponseBody(answer, 'in_progress') }),
    ...answer.texts.map((delta) =>
      event('response.output_text.delta', {
        item_id: 'msg_fake1',
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      }),
    ),
    event('response.completed', { response: openAiResponseBody(answer) }),
  ];
}
