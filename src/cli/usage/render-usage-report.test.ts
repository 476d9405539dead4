import { describe, expect, it } from 'vitest';
import { usageReportAnswer } from '../../proxy/index.js';
import { renderUsageReport } from './render-usage-report.js';

const window = { since: '2026-11-20T00:00:00.000Z', until: '2026-11-27T00:00:00.000Z' };

describe('renderUsageReport', () => {
  it('prints one aligned line per key, dearest first as given, and the total', () => {
    const text = renderUsageReport({
      ...window,
      by: 'model',
      rows: [
        {
          key: 'anthropic/claude-sonnet-4-6',
          calls: 12,
          failedCalls: 1,
          inputTokens: 120000,
          cacheReadTokens: 96000,
          cacheWriteTokens: 12000,
          outputTokens: 8000,
          costUsd: 0.48,
        },
        {
          key: 'openai/gpt-4.1',
          calls: 3,
          failedCalls: 0,
          inputTokens: 900,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: 60,
          costUsd: 0.00228,
        },
      ],
      total: {
        calls: 15,
        failedCalls: 1,
        inputTokens: 120900,
        cacheReadTokens: 96000,
        cacheWriteTokens: 12000,
        outputTokens: 8060,
        costUsd: 0.48228,
      },
    });
    expect(text).toBe(
      [
        'usage from 2026-11-20T00:00:00.000Z to 2026-11-27T00:00:00.000Z, by model',
        'model                        calls  failed  input tokens  cache reads  cache writes  output tokens     cost',
        'anthropic/claude-sonnet-4-6     12       1        120000        96000         12000           8000  $0.4800',
        'openai/gpt-4.1                   3       0           900            0             0             60  $0.0023',
        'total                           15       1        120900        96000         12000           8060  $0.4823',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing was spent, naming the subject it was asked for', () => {
    const query = { since: new Date(window.since), until: new Date(window.until), by: 'subject' as const };
    expect(renderUsageReport(usageReportAnswer({ ...query, subject: 'alice' }, []))).toBe(
      'usage for alice from 2026-11-20T00:00:00.000Z to 2026-11-27T00:00:00.000Z, by subject\nno model calls in this window\n',
    );
  });
});
