import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import type { LlmErrorPayload } from '../llm-types.js';
import { classifyProviderStatus, llmErrorFromStatus } from '../provider/llm-error-from-status.js';
import { parseRetryAfterMs } from '../provider/parse-retry-after-ms.js';
import { redactSecret } from '../provider/redact-secret.js';

const providerLabel = 'Anthropic';

/**
 * The HTTP status Anthropic uses for each error `type`. An `event: error` inside a 200 stream carries
 * only the type (https://docs.anthropic.com/en/api/errors), so this gives it the same treatment as
 * the equivalent HTTP answer.
 */
const statusByErrorType: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Whatever the Anthropic SDK threw → Loom's normalized error. The API key never reaches the message. */
export function anthropicErrorPayload(error: unknown, apiKey: string | undefined): LlmErrorPayload {
  const clean = (text: string): string => redactSecret(text, apiKey);
  if (error instanceof APIUserAbortError) {
    return { code: 'cancelled', message: 'the model call was cancelled', retryable: false };
  }
  if (error instanceof APIConnectionTimeoutError) {
    return { code: 'timeout', message: `${providerLabel} did not answer in time`, retryable: true };
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${clean(error.cause.message)}` : '';
    return {
      code: 'upstream_unavailable',
      message: `could not reach ${providerLabel}${cause}`,
      retryable: true,
    };
  }
  if (error instanceof APIError) {
    const detail = error.apiMessage ? clean(error.apiMessage) : undefined;
    if (error.status !== undefined) {
      const retryAfterMs = parseRetryAfterMs(error.headers);
      return llmErrorFromStatus({
        providerLabel,
        status: error.status,
        type: error.type ?? undefined,
        detail,
        retryAfterMs,
      });
    }
    return streamErrorPayload(error.type ?? undefined, detail);
  }
  // The body broke off mid-stream (socket closed, invalid chunk): the answer is incomplete, try again.
  const reason = error instanceof Error ? `: ${clean(error.message)}` : '';
  return {
    code: 'upstream_unavailable',
    message: `the stream from ${providerLabel} was interrupted${reason}`,
    retryable: true,
  };
}

function streamErrorPayload(type: string | undefined, detail: string | undefined): LlmErrorPayload {
  const status = type === undefined ? undefined : statusByErrorType[type];
  // Unknown types mid-stream are treated like a 500: the provider broke, not our request.
  const { code, retryable } = classifyProviderStatus(status ?? 500);
  const suffix = detail ? `: ${detail}` : '';
  return {
    code,
    message: `${providerLabel} sent an error event mid-stream (${type ?? 'unknown'})${suffix}`,
    retryable,
  };
}
