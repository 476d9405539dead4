import type { LlmErrorPayload, LlmStreamEvent } from '../llm-types.js';

/** Default longest silence of a provider (before the answer starts or between chunks), in ms. */
export const defaultIdleTimeoutMs = 180_000;

export interface ProviderStreamPlan<Chunk> {
  /** Human name for messages: `Anthropic`, `OpenAI-compatible server`. */
  providerLabel: string;
  /** The caller's signal: aborting it ends the stream with a `cancelled` error. */
  signal?: AbortSignal | undefined;
  idleTimeoutMs: number;
  /** Sends the request; resolves when the response started, with the stream of provider chunks. */
  open(signal: AbortSignal): Promise<AsyncIterable<Chunk>>;
  /** Turns provider chunks into Loom events, ending with exactly one `completed` or `error`. */
  read(chunks: AsyncIterable<Chunk>): AsyncGenerator<LlmStreamEvent>;
  /** Maps whatever the SDK threw (HTTP error, connection error, cut stream) to a normalized error. */
  toError(error: unknown): LlmErrorPayload;
}

/**
 * Drives one streamed model call and keeps the `LlmClient` promise: it never throws, and it ends with
 * exactly one `completed` or `error` event. It owns cancellation and the idle timeout, because the
 * SDKs end a stream silently when it is aborted: the reason (caller or silence) is known only here.
 */
export async function* runProviderStream<Chunk>(
  plan: ProviderStreamPlan<Chunk>,
): AsyncGenerator<LlmStreamEvent> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  plan.signal?.addEventListener('abort', abort, { once: true });
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const disarm = (): void => clearTimeout(timer);
  const arm = (): void => {
    disarm();
    timer = setTimeout(() => {
      idle = true;
      controller.abort();
    }, plan.idleTimeoutMs);
  };
  // A caller abort or our idle timeout explains any failure that follows it better than the SDK does.
  const interruption = (): LlmErrorPayload | undefined => {
    if (plan.signal?.aborted)
      return { code: 'cancelled', message: 'the model call was cancelled', retryable: false };
    if (!idle) return undefined;
    const message = `${plan.providerLabel} sent nothing for ${plan.idleTimeoutMs} ms`;
    return { code: 'timeout', message, retryable: true };
  };
  const fail = (error: LlmErrorPayload): LlmStreamEvent => ({
    type: 'error',
    error: interruption() ?? error,
  });

  try {
    if (plan.signal?.aborted) {
      yield fail({ code: 'cancelled', message: 'the model call was cancelled', retryable: false });
      return;
    }
    arm();
    let chunks: AsyncIterable<Chunk>;
    try {
      chunks = await plan.open(controller.signal);
    } catch (error) {
      yield fail(plan.toError(error));
      return;
    }
    try {
      for await (const event of plan.read(pausingWhileConsumed(chunks, arm, disarm))) {
        if (event.type === 'error') {
          yield fail(event.error);
          return;
        }
        disarm();
        yield event;
        if (event.type === 'completed') return;
      }
    } catch (error) {
      yield fail(plan.toError(error));
      return;
    }
    yield fail({
      code: 'internal',
      message: `${plan.providerLabel} stream reader ended without a result`,
      retryable: false,
    });
  } finally {
    disarm();
    plan.signal?.removeEventListener('abort', abort);
    // Releases the connection when the consumer stopped early; harmless after a complete answer.
    controller.abort();
  }
}

/** The idle clock runs only while we wait for the provider, not while our consumer works. */
async function* pausingWhileConsumed<Chunk>(
  chunks: AsyncIterable<Chunk>,
  arm: () => void,
  disarm: () => void,
): AsyncGenerator<Chunk> {
  arm();
  for await (const chunk of chunks) {
    disarm();
    yield chunk;
    arm();
  }
  disarm();
}
