import { describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../../agent/index.js';
import { exitCodeFor, formatRunSummary } from './format-run-summary.js';

const result: AgentRunResult = {
  status: 'done',
  answer: 'ok',
  usage: { input_tokens: 1200, output_tokens: 34, cost_usd: 0.01234 },
  turns: 3,
  filesChanged: ['sum.js'],
  commands: [],
  messages: [],
};

describe('formatRunSummary', () => {
  it('says how the run ended and what it cost', () => {
    expect(formatRunSummary(result, 4200)).toBe(
      'done (3 turns · 1,234 tokens · $0.0123 · 4.2s · changed sum.js)',
    );
    expect(
      formatRunSummary(
        { ...result, status: 'failed', reason: 'turn limit reached', turns: 1, filesChanged: [] },
        0,
      ),
    ).toBe('failed: turn limit reached (1 turn · 1,234 tokens · $0.0123 · 0.0s)');
  });
});

describe('exitCodeFor', () => {
  it('is 0 only when the agent finished, 130 when cancelled, 1 otherwise', () => {
    expect(exitCodeFor({ status: 'done' })).toBe(0);
    expect(exitCodeFor({ status: 'cancelled' })).toBe(130);
    expect(exitCodeFor({ status: 'failed' })).toBe(1);
    expect(exitCodeFor({ status: 'over-budget' })).toBe(1);
  });
});
