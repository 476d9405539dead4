/**
 * GitHub API failures as `LoomError`s, decided by status code (never by message), so job retries
 * follow `retryable`: rate limits and 5xx are worth retrying, a 404 or a 422 is not.
 */
import { isLoomError, LoomError, type LoomErrorCode } from '../../../src/errors/index.js';

interface HttpFailure {
  status?: unknown;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** The error code for a GitHub answer's status (and rate-limit header, for 403). */
export function githubErrorCode(status: number | undefined, rateLimitRemaining?: string): LoomErrorCode {
  if (status === undefined) return 'upstream_unavailable';
  if (status === 403 && rateLimitRemaining === '0') return 'rate_limited';
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422 || status === 400) return 'invalid_input';
  if (status >= 500) return 'upstream_unavailable';
  return 'upstream_rejected';
}

export function toGithubError(error: unknown, what: string): LoomError {
  if (isLoomError(error)) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as HttpFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const remaining = failure.response?.headers?.['x-ratelimit-remaining'];
  const code = githubErrorCode(status, remaining === undefined ? undefined : String(remaining));
  const message = error instanceof Error ? error.message : String(error);
  return new LoomError(
    code,
    `GitHub: could not ${what}${status === undefined ? '' : ` (HTTP ${status})`}: ${message}`.slice(0, 1000),
    {
      cause: error,
      details: { status },
      // An expired installation token is renewed on the next attempt.
      ...(code === 'unauthorized' ? { retryable: true } : {}),
    },
  );
}

/** The noreply e-mail domain of a GitHub host, for commit authors. */
export function noreplyDomain(apiUrl: string): string {
  const host = new URL(apiUrl).host;
  return host === 'api.github.com' ? 'users.noreply.github.com' : `users.noreply.${host}`;
}
