import { describe, expect, it } from 'vitest';
import { classifyProviderStatus, llmErrorFromStatus } from './llm-error-from-status.js';

describe('classifyProviderStatus', () => {
  it.each([
    [408, 'timeout', true],
    [409, 'upstream_unavailable', true],
    [429, 'rate_limited', true],
    [500, 'upstream_unavailable', true],
    [502, 'upstream_unavailable', true],
    [503, 'upstream_unavailable', true],
    [504, 'upstream_unavailable', true],
    [529, 'upstream_unavailable', true],
    [400, 'upstream_rejected', false],
    [401, 'unauthorized', false],
    [402, 'budget_exceeded', false],
    [403, 'forbidden', false],
    [404, 'upstream_rejected', false],
    [413, 'payload_too_large', false],
    [422, 'upstream_rejected', false],
  ] as const)('HTTP %i → %s (retryable: %s)', (status, code, retryable) => {
    expect(classifyProviderStatus(status)).toEqual({ code, retryable });
  });
});

describe('llmErrorFromStatus', () => {
  it('names the provider, status and type, and carries retry_after_ms', () => {
    expect(
      llmErrorFromStatus({
        providerLabel: 'Anthropic',
        status: 529,
        type: 'overloaded_error',
        detail: 'Overloaded',
        retryAfterMs: 3000,
      }),
    ).toEqual({
      code: 'upstream_unavailable',
      message: 'Anthropic answered HTTP 529 (overloaded_error): Overloaded',
      retryable: true,
      status: 529,
      retry_after_ms: 3000,
    });
  });

  it('leaves retry_after_ms out when the provider gave none', () => {
    expect(llmErrorFromStatus({ providerLabel: 'Anthropic', status: 400 })).not.toHaveProperty(
      'retry_after_ms',
    );
  });
});
