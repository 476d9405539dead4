import { describe, expect, it } from 'vitest';
import { githubErrorCode, noreplyDomain, toGithubError } from './github-error.js';

describe('githubErrorCode', () => {
  it('maps statuses to codes, rate limits included', () => {
    expect(githubErrorCode(undefined)).toBe('upstream_unavailable');
    expect(githubErrorCode(403, '0')).toBe('rate_limited');
    expect(githubErrorCode(403, '12')).toBe('forbidden');
    expect(githubErrorCode(429)).toBe('rate_limited');
    expect(githubErrorCode(404)).toBe('not_found');
    expect(githubErrorCode(422)).toBe('invalid_input');
    expect(githubErrorCode(502)).toBe('upstream_unavailable');
  });

  it('makes 5xx and an expired token retryable, a 404 not', () => {
    expect(toGithubError(Object.assign(new Error('x'), { status: 503 }), 'read').retryable).toBe(true);
    expect(toGithubError(Object.assign(new Error('x'), { status: 401 }), 'read').retryable).toBe(true);
    expect(toGithubError(Object.assign(new Error('x'), { status: 404 }), 'read').retryable).toBe(false);
  });

  it('derives the noreply domain from the API base', () => {
    expect(noreplyDomain('https://api.github.com')).toBe('users.noreply.github.com');
    expect(noreplyDomain('https://ghe.example.com/api/v3')).toBe('users.noreply.ghe.example.com');
  });
});
