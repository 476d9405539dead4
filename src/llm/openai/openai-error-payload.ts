import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { LlmErrorPayload } from '../llm-types.js';
import { llmErrorFromStatus } from '../provider/llm-error-from-status.js';
import { parseRetryAfterMs } from '../provider/parse-retry-after-ms.js';
import { redactSecret } from '../provider/redact-secret.js';

const providerLabel = 'OpenAI-compatible server';

/**
 * Whatever the OpenAI SDK threw → Loom's normalized error. The API key never reaches the message
 * (OpenAI echoes a masked key in 401 answers; a self-hosted server might echo the whole one).
 */
export function openAiErrorPayload(error: unknown, apiKey: string | undefined): LlmErrorPayload {
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
  if (error instanceof APIError) return apiErrorPayload(error, clean);
  // The body broke off mid-stream (socket closed, invalid chunk): the answer is incomplete, try again.
  const reason = error instanceof Error ? `: ${clean(error.message)}` : '';
  return {
    code: 'upstream_unavailable',
    message: `the stream from the ${providerLabel} was interrupted${reason}`,
    retryable: true,
  };
}

function apiErrorPayload(error: APIError, clean: (text: string) => string): LlmErrorPayload {
  const body = error.error as { message?: unknown } | undefined;
  const detail = clean(typeof body?.message === 'string' ? body.message : error.message);
  const type = error.code ?? error.type ?? undefined;
  if (error.status === undefined) {
    // An `{"error": ...}` chunk inside a 200 stream: the server broke mid-answer.
    return {
      code: 'upstream_unavailable',
      message: `${providerLabel} sent an error mid-stream: ${detail}`,
      retryable: true,
    };
  }
  const payload = llmErrorFromStatus({
    providerLabel,
    status: error.status,
    type,
    detail,
    retryAfterMs: parseRetryAfterMs(error.headers),
  });
  // A 429 for an exhausted quota or spend limit does not pass by waiting (RELIABILITY 37).
  if (error.status === 429 && error.code === 'insufficient_quota') {
    return { ...payload, code: 'budget_exceeded', retryable: false };
  }
  return payload;
}
