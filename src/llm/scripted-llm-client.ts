/**
 * An `LlmClient` that plays a script: replies (text and tool calls, streamed as deltas the way real
 * adapters stream them) and faults (error payloads, a stream cut mid-way, a stall that only ends on
 * abort). For tests and benchmarks: it records every request it received, and has zero latency
 * unless `chunkDelayMs` is given.
 */
import type {
  FinishReason,
  LlmCallOptions,
  LlmClient,
  LlmErrorPayload,
  LlmRequest,
  LlmStreamEvent,
  ToolCall,
  Usage,
} from './llm-types.js';

/** Output streamed before a fault, to prove partial turns are discarded. */
export interface ScriptedPartialOutput {
  text?: string;
  /** The start of a tool call whose arguments never finish. */
  toolCall?: { id: string; name: string; argumentsPrefix: string };
}

export type ScriptedStep =
  | {
      kind: 'reply';
      text?: string;
      toolCalls?: Array<Omit<ToolCall, 'id'> & { id?: string }>;
      /** Default: an estimate of about 4 characters a token. */
      usage?: Usage;
      finishReason?: FinishReason;
    }
  /** An `error` event, after optional partial output (an error event after a 200). */
  | { kind: 'error'; error: LlmErrorPayload; before?: ScriptedPartialOutput }
  /** The stream ends with no `completed` or `error` event: a raw cut connection. */
  | { kind: 'cut'; before?: ScriptedPartialOutput }
  /** No further event until the caller aborts, then an `error` with code `cancelled`. */
  | { kind: 'stall'; before?: ScriptedPartialOutput };

export type ScriptedReplyFunction = (request: LlmRequest, requestIndex: number) => ScriptedStep;

export interface ScriptedLlmClientOptions {
  /** Characters per streamed delta (default 16). */
  chunkSize?: number;
  /** Real delay before every event (default 0). */
  chunkDelayMs?: number;
}

export interface ScriptedLlmClient extends LlmClient {
  /** Deep copies of the requests received, in order. */
  readonly requests: LlmRequest[];
}

/** Plays `script` step by step (or asks the function for each step); an exhausted script is a non-retryable error. */
export function createScriptedLlmClient(
  script: ScriptedStep[] | ScriptedReplyFunction,
  options: ScriptedLlmClientOptions = {},
): ScriptedLlmClient {
  const requests: LlmRequest[] = [];
  const chunkSize = Math.max(1, options.chunkSize ?? 16);
  const delayMs = options.chunkDelayMs ?? 0;
  const stepFor = (request: LlmRequest, index: number): ScriptedStep =>
    typeof script === 'function' ? script(request, index) : (script[index] ?? exhausted(index));
  return {
    provider: 'scripted',
    requests,
    stream(request: LlmRequest, callOptions: LlmCallOptions = {}): AsyncIterable<LlmStreamEvent> {
      const index = requests.length;
      requests.push(structuredClone(request));
      return play(stepFor(request, index), {
        request,
        index,
        chunkSize,
        delayMs,
        signal: callOptions.signal,
      });
    },
  };
}

interface PlayContext {
  request: LlmRequest;
  index: number;
  chunkSize: number;
  delayMs: number;
  signal: AbortSignal | undefined;
}

async function* play(step: ScriptedStep, context: PlayContext): AsyncGenerator<LlmStreamEvent> {
  const events =
    step.kind === 'reply' ? replyEvents(step, context) : partialEvents(step.before, context.chunkSize);
  for (const event of events) {
    if (!(await pause(context))) return yield cancelledEvent();
    yield event;
  }
  if (!(await pause(context))) return yield cancelledEvent();
  if (step.kind === 'error') yield { type: 'error', error: step.error };
  if (step.kind === 'stall') {
    await abortOf(context.signal);
    yield cancelledEvent();
  }
}

function replyEvents(step: Extract<ScriptedStep, { kind: 'reply' }>, context: PlayContext): LlmStreamEvent[] {
  const text = step.text ?? '';
  const toolCalls: ToolCall[] = (step.toolCalls ?? []).map((call, position) => ({
    id: call.id ?? `call_${context.index}_${position}`,
    name: call.name,
    arguments: call.arguments,
  }));
  const events: LlmStreamEvent[] = chunks(text, context.chunkSize).map((piece) => ({
    type: 'text_delta',
    text: piece,
  }));
  toolCalls.forEach((call, position) => {
    events.push(
      ...toolCallDeltas(position, call.id, call.name, JSON.stringify(call.arguments), context.chunkSize),
    );
  });
  const usage = step.usage ?? {
    input_tokens: Math.ceil(JSON.stringify(context.request.messages).length / 4),
    output_tokens: Math.ceil((text.length + JSON.stringify(toolCalls).length) / 4),
  };
  const finishReason = step.finishReason ?? (toolCalls.length > 0 ? 'tool_use' : 'stop');
  events.push({
    type: 'completed',
    response: {
      message: { role: 'assistant', content: text },
      tool_calls: toolCalls,
      usage,
      finish_reason: finishReason,
    },
  });
  return events;
}

function partialEvents(before: ScriptedPartialOutput | undefined, chunkSize: number): LlmStreamEvent[] {
  const events: LlmStreamEvent[] = chunks(before?.text ?? '', chunkSize).map((text) => ({
    type: 'text_delta',
    text,
  }));
  const call = before?.toolCall;
  if (call) events.push(...toolCallDeltas(0, call.id, call.name, call.argumentsPrefix, chunkSize));
  return events;
}

function toolCallDeltas(
  index: number,
  id: string,
  name: string,
  json: string,
  chunkSize: number,
): LlmStreamEvent[] {
  const pieces = chunks(json, chunkSize);
  return [
    { type: 'tool_call_delta', index, id, name, arguments_delta: pieces[0] ?? '' },
    ...pieces
      .slice(1)
      .map((arguments_delta) => ({ type: 'tool_call_delta' as const, index, arguments_delta })),
  ];
}

function chunks(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}

/** Waits the configured delay; false when the call was aborted (before or during the wait). */
async function pause(context: PlayContext): Promise<boolean> {
  if (context.delayMs > 0 && !context.signal?.aborted) {
    await Promise.race([
      new Promise((resolve) => setTimeout(resolve, context.delayMs)),
      abortOf(context.signal),
    ]);
  }
  return !context.signal?.aborted;
}

function abortOf(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function cancelledEvent(): LlmStreamEvent {
  return {
    type: 'error',
    error: { code: 'cancelled', message: 'the model call was aborted', retryable: false },
  };
}

function exhausted(index: number): ScriptedStep {
  return {
    kind: 'error',
    error: {
      code: 'internal',
      message: `scripted LLM client: no step for request ${index + 1}`,
      retryable: false,
    },
  };
}

/** Builders for script steps, with the error payloads the real adapters produce for each fault. */
export const scriptedStep = {
  text(text: string, usage?: Usage): ScriptedStep {
    return { kind: 'reply', text, ...(usage ? { usage } : {}) };
  },
  toolCalls(
    toolCalls: Array<Omit<ToolCall, 'id'> & { id?: string }>,
    extra: { text?: string; usage?: Usage } = {},
  ): ScriptedStep {
    return { kind: 'reply', toolCalls, ...extra };
  },
  httpError(
    status: number,
    extra: { retryAfterMs?: number; before?: ScriptedPartialOutput } = {},
  ): ScriptedStep {
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    const codes: Record<number, LlmErrorPayload['code']> = {
      401: 'unauthorized',
      403: 'forbidden',
      408: 'timeout',
      429: 'rate_limited',
    };
    const error: LlmErrorPayload = {
      code: codes[status] ?? (retryable ? 'upstream_unavailable' : 'upstream_rejected'),
      message: `scripted provider answered HTTP ${status}`,
      retryable,
      status,
      ...(extra.retryAfterMs === undefined ? {} : { retry_after_ms: extra.retryAfterMs }),
    };
    return { kind: 'error', error, ...(extra.before ? { before: extra.before } : {}) };
  },
  rateLimited(retryAfterMs?: number): ScriptedStep {
    return scriptedStep.httpError(429, retryAfterMs === undefined ? {} : { retryAfterMs });
  },
  overloaded(): ScriptedStep {
    return scriptedStep.httpError(529);
  },
  /** An error event after some output: what a provider sends when it fails after answering 200. */
  errorAfter(before: ScriptedPartialOutput, status = 500): ScriptedStep {
    return scriptedStep.httpError(status, { before });
  },
  cut(before?: ScriptedPartialOutput): ScriptedStep {
    return { kind: 'cut', ...(before ? { before } : {}) };
  },
  stall(before?: ScriptedPartialOutput): ScriptedStep {
    return { kind: 'stall', ...(before ? { before } : {}) };
  },
};
