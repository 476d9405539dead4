/**
 * Who spent what: the proxy's usage events summed per subject, per model or per job over a time
 * window, dearest first. Served by `GET /api/usage` and `loom usage`; an admin sees every subject,
 * anyone else only their own. The query is parsed here (pure) and summed by the store.
 */
import { LoomError } from '../errors/index.js';

export const usageGroupings = ['subject', 'model', 'job'] as const;
export type UsageGrouping = (typeof usageGroupings)[number];

export interface UsageReportQuery {
  /** Inclusive. */
  since: Date;
  /** Exclusive. */
  until: Date;
  by: UsageGrouping;
  /** Only this subject's calls. */
  subject?: string | undefined;
}

export interface UsageReportRow {
  /** The subject, `provider/model`, or the job id (`-` for calls made outside a job). */
  key: string;
  calls: number;
  /** Calls that did not end `ok` (provider errors, cancellations). */
  failedCalls: number;
  inputTokens: number;
  /** Of `inputTokens`, read from and written to the providers' prompt caches. */
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface UsageReporter {
  /** At most `usageReportRowLimit` rows, dearest first. */
  report(query: UsageReportQuery): Promise<UsageReportRow[]>;
}

export const usageReportRowLimit = 1000;

/** What `GET /api/usage` answers (and `loom usage --json` prints). */
export interface UsageReportAnswer {
  since: string;
  until: string;
  by: UsageGrouping;
  subject?: string;
  rows: UsageReportRow[];
  total: Omit<UsageReportRow, 'key'>;
}

export function usageReportAnswer(query: UsageReportQuery, rows: UsageReportRow[]): UsageReportAnswer {
  const total = rows.reduce(
    (sum, row) => ({
      calls: sum.calls + row.calls,
      failedCalls: sum.failedCalls + row.failedCalls,
      inputTokens: sum.inputTokens + row.inputTokens,
      cacheReadTokens: sum.cacheReadTokens + row.cacheReadTokens,
      cacheWriteTokens: sum.cacheWriteTokens + row.cacheWriteTokens,
      outputTokens: sum.outputTokens + row.outputTokens,
      costUsd: sum.costUsd + row.costUsd,
    }),
    {
      calls: 0,
      failedCalls: 0,
      inputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    },
  );
  return {
    since: query.since.toISOString(),
    until: query.until.toISOString(),
    by: query.by,
    ...(query.subject === undefined ? {} : { subject: query.subject }),
    rows,
    total,
  };
}

/** The window when none is given: the last 30 days. */
export const defaultUsageWindow = '30d';

const durationUnits: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `since` / `until` as a duration back from now (`90m`, `24h`, `7d`, `2w`) or an ISO date; `by`
 * one of the groupings (default `subject`). Anything else is `invalid_input` naming the parameter.
 */
export function parseUsageReportQuery(
  params: { since?: unknown; until?: unknown; by?: unknown; subject?: unknown },
  now: Date,
): UsageReportQuery {
  const since = parseInstant('since', params.since ?? defaultUsageWindow, now);
  const until = params.until === undefined ? now : parseInstant('until', params.until, now);
  if (since.getTime() >= until.getTime()) {
    throw new LoomError(
      'invalid_input',
      `since (${since.toISOString()}) must be before until (${until.toISOString()})`,
    );
  }
  const by = params.by ?? 'subject';
  if (typeof by !== 'string' || !(usageGroupings as readonly string[]).includes(by)) {
    throw new LoomError('invalid_input', `by must be one of ${usageGroupings.join(', ')}`);
  }
  const subject = params.subject;
  if (subject !== undefined && (typeof subject !== 'string' || subject.trim() === '')) {
    throw new LoomError('invalid_input', 'subject must be a non-empty string');
  }
  return {
    since,
    until,
    by: by as UsageGrouping,
    ...(subject === undefined ? {} : { subject: subject.trim() }),
  };
}

function parseInstant(name: string, value: unknown, now: Date): Date {
  if (typeof value === 'string') {
    const duration = /^(\d{1,6})([mhdw])$/.exec(value.trim());
    if (duration !== null) {
      return new Date(now.getTime() - Number(duration[1]) * (durationUnits[duration[2] ?? 'd'] ?? 0));
    }
    if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
      const date = new Date(value.trim());
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  throw new LoomError(
    'invalid_input',
    `${name} must be a duration back from now (90m, 24h, 7d, 2w) or an ISO date (2026-11-01, 2026-11-01T09:00:00Z)`,
  );
}
