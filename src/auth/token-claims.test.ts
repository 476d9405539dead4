import { describe, expect, it } from 'vitest';
import { isModelAllowed } from './token-claims.js';

describe('isModelAllowed', () => {
  it('allows every model without a list', () => {
    expect(isModelAllowed({}, 'anthropic', 'claude-opus-4-1')).toBe(true);
  });

  it('matches bare names, provider/model and trailing-* prefixes', () => {
    const claims = { models: ['gpt-4.1', 'anthropic/claude-haiku-4-5', 'claude-sonnet-*'] };
    expect(isModelAllowed(claims, 'openai', 'gpt-4.1')).toBe(true);
    expect(isModelAllowed(claims, 'anthropic', 'claude-haiku-4-5')).toBe(true);
    expect(isModelAllowed(claims, 'openai', 'claude-haiku-4-5')).toBe(false);
    expect(isModelAllowed(claims, 'anthropic', 'claude-sonnet-4-5')).toBe(true);
    expect(isModelAllowed(claims, 'anthropic', 'claude-opus-4-1')).toBe(false);
    expect(isModelAllowed(claims, 'openai', 'gpt-4.1-mini')).toBe(false);
  });
});
