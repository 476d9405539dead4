/**
 * A model call failed. Whatever streamed so far is dropped. Retryable errors (as the adapter marked
 * them: 408/429/5xx/529, timeouts, cut streams) are retried up to `maxRetries`; the delay is the
 * runtime's (it owns time and randomness), at least the provider's retry-after.
 */
import type { LlmErrorPayload } from '../../llm/llm-types.js';
import type { Transition } from './agent-action.js';
import { finishRun } from './finish-run.js';
import type { LlmCallState } from './on-llm-call.js';

export function onLlmError(state: LlmCallState, error: LlmErrorPayload): Transition {
  const { context, retries } = state;
  if (error.retryable && retries < context.config.maxRetries) {
    return {
      state: { name: 'Error', context, origin: state.name, error, retries },
      actions: [
        {
          type: 'ScheduleRetry',
          attempt: retries + 1,
          ...(error.retry_after_ms === undefined ? {} : { retryAfterMs: error.retry_after_ms }),
          error,
        },
      ],
    };
  }
  const reason = error.retryable
    ? `model call failed after ${retries} retries: ${error.message}`
    : `model call failed: ${error.message}`;
  return finishRun(context, 'failed', { reason, error });
}
