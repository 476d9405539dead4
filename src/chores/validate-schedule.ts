/**
 * Cron and time-zone checks with the parser BullMQ's job schedulers use (`cron-parser`'s
 * `parseExpression`, the `pattern` + `tz` of a scheduler), so a schedule that passes here is one the
 * scheduler accepts, and the next run times we show are the ones it will pick.
 */
import cronParser from 'cron-parser';

const macros = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

/** Why `timezone` is not an IANA zone, or undefined when it is one. */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return `"${timezone}" is not an IANA time zone (e.g. "Europe/Berlin", "UTC")`;
  }
}

/**
 * Why `schedule` cannot be used, or undefined. Only five-field expressions (minute hour day month
 * weekday) and the `@daily`-style macros: cron-parser also takes a seconds field, which would let a
 * chore (and its model spend) run every second.
 */
export function scheduleProblem(schedule: string, timezone?: string): string | undefined {
  const trimmed = schedule.trim();
  if (!macros.has(trimmed)) {
    const fields = trimmed.split(/\s+/).filter((field) => field !== '');
    if (fields.length !== 5) {
      return `"${schedule}" is not a cron expression of five fields (minute hour day month weekday), e.g. "0 7 * * 1"`;
    }
  }
  try {
    cronParser.parseExpression(trimmed, { ...(timezone === undefined ? {} : { tz: timezone }) }).next();
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `"${schedule}" is not a valid cron expression: ${reason}`;
  }
}

/** The next `count` run times of a valid schedule after `from`, as BullMQ computes them. */
export function nextRunTimes(schedule: string, timezone: string | undefined, from: Date, count = 1): Date[] {
  const interval = cronParser.parseExpression(schedule.trim(), {
    currentDate: from,
    ...(timezone === undefined ? {} : { tz: timezone }),
  });
  const times: Date[] = [];
  for (let index = 0; index < count; index += 1) times.push(interval.next().toDate());
  return times;
}
