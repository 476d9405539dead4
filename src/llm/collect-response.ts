import { LoomError, toLoomError } from '../errors/index.js';
import type { LlmErrorPayload, LlmResponse, LlmStreamEvent } from './llm-types.js';

/**
 * Waits for the end of a model stream and returns the full response, for callers that do not show
 * progress. An `error` event becomes a thrown `LoomError` with the same code and `retryable`, and the
 * status and `retry_after_ms` in its details.
 */
export async function collectResponse(stream: AsyncIterable<LlmStreamEvent>): Promise<LlmResponse> {
  try {
    for await (const event of stream) {
      if (event.type === 'completed') return event.response;
      if (event.type === 'error') throw loomErrorFromPayload(event.error);
    }
  } catch (error) {
    // The port promises no throws, but a faulty adapter must still surface as a LoomError.
    throw toLoomError(error, 'internal');
  }
  throw new LoomError('upstream_unavailable', 'the model stream ended without a result', { retryable: true });
}

/** The `LoomError` a caller throws for a streamed error payload. */
export function loomErrorFromPayload(payload: LlmErrorPayload): LoomError {
  const details: Record<string, unknown> = {};
  if (payload.status !== undefined) details.status = payload.status;
  if (payload.retry_after_ms !== undefined) details.retry_after_ms = payload.retry_after_ms;
  return new LoomError(payload.code, payload.message, { retryable: payload.retryable, details });
}
