/**
 * Answers a proxy request with a LoomError as JSON (`{error: {code, message, retryable, details?}}`),
 * `retry-after` included when there is a wait. Plain node responses: the native routes bypass express.
 */
import type { ServerResponse } from 'node:http';
import type { LoomError } from '../errors/index.js';
import { shouldRetryHeader } from './client-retry-advice.js';

/**
 * @param sdkShouldRetry `x-should-retry` for the caller's SDK: the error's `retryable` unless the
 *   failure comes out of Loom's own retries of the provider (false then: see client-retry-advice).
 */
export function sendProxyError(
  response: ServerResponse,
  error: LoomError,
  sdkShouldRetry: boolean = error.retryable,
): void {
  if (response.headersSent) {
    // Too late for a status: cutting the connection is the only honest signal left.
    response.destroy();
    return;
  }
  const retryAfterMs = error.details.retry_after_ms;
  if (typeof retryAfterMs === 'number') {
    response.setHeader('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    response.setHeader('retry-after-ms', String(Math.round(retryAfterMs)));
  }
  // `retryable` travels with the body: an instance may differ from its code's default (a spend limit).
  response.statusCode = error.httpStatus;
  response.setHeader(shouldRetryHeader, String(sdkShouldRetry));
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(
    JSON.stringify({ error: Object.assign({}, error.toJSON().error, { retryable: error.retryable }) }),
  );
}
