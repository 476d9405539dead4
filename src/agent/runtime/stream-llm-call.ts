/**
 * Reads one model stream and guarantees the machine gets exactly one terminal event for it, whatever
 * the stream does: completes, errors, is cut (ends without a terminal event), stalls (no event within
 * `idleTimeoutMs`: the call is aborted), or throws. Events after the run's signal aborts are not
 * delivered: the machine has already moved on.
 */
import { toLoomError } from '../../errors/index.js';
import type { LlmClient, LlmErrorPayload, LlmRequest, LlmStreamEvent } from '../../llm/llm-types.js';

export interface StreamLlmCallInput {
  llm: LlmClient;
  request: LlmRequest;
  /** The run's signal. */
  signal: AbortSignal;
  idleTimeoutMs: number;
  onEvent: (event: LlmStreamEvent) => void;
}

type NextOutcome = IteratorResult<LlmStreamEvent> | 'idle' | 'aborted';

export async function streamLlmCall(input: StreamLlmCallInput): Promise<void> {
  const call = new AbortController();
  const forwardAbort = (): void => call.abort();
  input.signal.addEventListener('abort', forwardAbort, { once: true });
  let iterator: AsyncIterator<LlmStreamEvent> | undefined;
  let finished = false;
  try {
    iterator = input.llm.stream(input.request, { signal: call.signal })[Symbol.asyncIterator]();
    for (;;) {
      const outcome = await nextWithin(iterator, input.idleTimeoutMs, call.signal);
      if (outcome === 'aborted') return;
      if (outcome === 'idle') return input.onEvent(errorEvent(idleError(input.idleTimeoutMs)));
      if (outcome.done === true) {
        finished = true;
        return input.onEvent(errorEvent(cutError()));
      }
      input.onEvent(outcome.value);
      if (outcome.value.type === 'completed' || outcome.value.type === 'error') {
        finished = true;
        return;
      }
    }
  } catch (error) {
    // The port says streams never throw; one that does is broken, so the error keeps its own
    // retryability (a LoomError) or is treated as permanent.
    if (!call.signal.aborted) input.onEvent(errorEvent(thrownError(error)));
  } finally {
    input.signal.removeEventListener('abort', forwardAbort);
    if (!finished) call.abort();
    // Always closed, also after its terminal event: a generator paused at that `yield` runs its
    // `finally` (idle timer, connection) only when resumed or returned, and its armed timer would
    // keep the process alive. Not awaited: a stalled generator settles `return()` only after its
    // pending `next()`.
    iterator?.return?.().catch(() => undefined);
  }
}

function nextWithin(
  iterator: AsyncIterator<LlmStreamEvent>,
  idleTimeoutMs: number,
  signal: AbortSignal,
): Promise<NextOutcome> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise<NextOutcome>((resolve, reject) => {
    const onAbort = (): void => settle(() => resolve('aborted'));
    const timer = setTimeout(() => settle(() => resolve('idle')), idleTimeoutMs);
    let settled = false;
    function settle(action: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      action();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => settle(() => resolve(result)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

function errorEvent(error: LlmErrorPayload): LlmStreamEvent {
  return { type: 'error', error };
}

function idleError(idleTimeoutMs: number): LlmErrorPayload {
  return { code: 'timeout', message: `no model stream event for ${idleTimeoutMs} ms`, retryable: true };
}

function cutError(): LlmErrorPayload {
  return {
    code: 'upstream_unavailable',
    message: 'the model stream ended before it completed',
    retryable: true,
  };
}

function thrownError(error: unknown): LlmErrorPayload {
  const loomError = toLoomError(error, 'internal');
  return { code: loomError.code, message: loomError.message, retryable: loomError.retryable };
}
