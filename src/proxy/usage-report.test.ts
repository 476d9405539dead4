import { describe, expect, it } from 'vitest';
import { parseUsageReportQuery, usageReportAnswer } from './usage-report.js';

const now = new Date('2026-11-27T12:00:00.000Z');

describe('parseUsageReportQuery', () => {
  it('defaults to the last 30 days by subject', () => {
    expect(parseUsageReportQuery({}, now)).toEqual({
      since: new Date('2026-10-28T12:00:00.000Z'),
      until: now,
      by: 'subject',
    });
  });

  it('reads durations back from now, ISO dates, a grouping and a subject', () => {
    const query = parseUsageReportQuery(
      { since: '90m', until: '2026-11-27T11:59:00Z', by: 'job', subject: ' alice ' },
      now,
    );
    expect(query).toEqual({
      since: new Date('2026-11-27T10:30:00.000Z'),
      until: new Date('2026-11-27T11:59:00.000Z'),
      by: 'job',
      subject: 'alice',
    });
    expect(parseUsageReportQuery({ since: '2w', by: 'model' }, now).since).toEqual(
      new Date('2026-11-13T12:00:00.000Z'),
    );
    expect(parseUsageReportQuery({ since: '2026-11-01' }, now).since).toEqual(
      new Date('2026-11-01T00:00:00.000Z'),
    );
  });

  it('refuses what it cannot read, naming the parameter', () => {
    expect(() => parseUsageReportQuery({ since: 'yesterday' }, now)).toThrow(/since must be a duration/);
    expect(() => parseUsageReportQuery({ until: '7x' }, now)).toThrow(/until must be a duration/);
    expect(() => parseUsageReportQuery({ since: '2026-13-45' }, now)).toThrow(/since must be/);
    expect(() => parseUsageReportQuery({ since: ['7d', '8d'] }, now)).toThrow(/since must be/);
    expect(() => parseUsageReportQuery({ by: 'team' }, now)).toThrow(/by must be one of subject, model, job/);
    expect(() => parseUsageReportQuery({ since: '1d', until: '2d' }, now)).toThrow(/must be before until/);
    expect(() => parseUsageReportQuery({ subject: '' }, now)).toThrow(/subject must be a non-empty/);
  });
});

describe('usageReportAnswer', () => {
  it('adds the rows up into a total', () => {
    const query = parseUsageReportQuery({ since: '1d' }, now);
    const answer = usageReportAnswer(query, [
      {
        key: 'alice',
        calls: 3,
        failedCalls: 1,
        inputTokens: 300,
        cacheReadTokens: 200,
        cacheWriteTokens: 50,
        outputTokens: 20,
        costUsd: 2.5,
      },
      {
        key: 'bob',
        calls: 1,
        failedCalls: 0,
        inputTokens: 100,
        cacheReadTokens: 0,
        cacheWriteTokens: 10,
        outputTokens: 10,
        costUsd: 0.25,
      },
    ]);
    expect(answer.total).toEqual({
      calls: 4,
      failedCalls: 1,
      inputTokens: 400,
      cacheReadTokens: 200,
      cacheWriteTokens: 60,
      outputTokens: 30,
      costUsd: 2.75,
    });
    expect(answer).toMatchObject({
      since: '2026-11-26T12:00:00.000Z',
      until: '2026-11-27T12:00:00.000Z',
      by: 'subject',
    });
  });
});
