import type { LoomErrorCode } from '../../errors/index.js';
import type { LlmErrorPayload } from '../llm-types.js';

/** Whether an HTTP status from a model provider is worth retrying, and how Loom names it. */
export function classifyProviderStatus(status: number): { code: LoomErrorCode; retryable: boolean } {
  switch (status) {
    case 401:
      return { code: 'unauthorized', retryable: false };
    case 402:
      return { code: 'budget_exceeded', retryable: false };
    case 403:
      return { code: 'forbidden', retryable: false };
    case 408:
      return { code: 'timeout', retryable: true };
    // 409: Anthropic documents it as a transient conflict the client should retry.
    case 409:
      return { code: 'upstream_unavailable', retryable: true };
    case 413:
      return { code: 'payload_too_large', retryable: false };
    case 429:
      return { code: 'rate_limited', retryable: true };
  }
  // 5xx and Anthropic's 529 "overloaded" are the provider's trouble, not ours: retry.
  if (status >= 500) return { code: 'upstream_unavailable', retryable: true };
  // 400, 404 (unknown model), 422 and every other 4xx: the request itself is wrong; retrying repeats it.
  return { code: 'upstream_rejected', retryable: false };
}

export interface ProviderHttpFailure {
  /** Human name of the provider, for the message: `Anthropic`, `OpenAI-compatible server`. */
  providerLabel: string;
  status: number;
  /** Provider's error type (`overloaded_error`, `insufficient_quota`...), when it sent one. */
  type?: string | undefined;
  /** The provider's own explanation; must already be free of secrets. */
  detail?: string | undefined;
  retryAfterMs?: number | undefined;
}

/** The normalized error for a provider that answered with an HTTP error status. */
export function llmErrorFromStatus(failure: ProviderHttpFailure): LlmErrorPayload {
  const { code, retryable } = classifyProviderStatus(failure.status);
  const type = failure.type ? ` (${failure.type})` : '';
  const detail = failure.detail ? `: ${failure.detail}` : '';
  return {
    code,
    message: `${failure.providerLabel} answered HTTP ${failure.status}${type}${detail}`,
    retryable,
    status: failure.status,
    ...(failure.retryAfterMs === undefined ? {} : { retry_after_ms: failure.retryAfterMs }),
  };
}
