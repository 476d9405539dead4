/** The part of a `Headers` object we read; plain objects in tests can provide it too. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long the provider asked us to wait, in milliseconds, or undefined when it did not say.
 * `retry-after-ms` (sent by Anthropic and OpenAI) wins over `retry-after`, which is either a number
 * of seconds or an HTTP date (RFC 9110 §10.2.3). A date in the past means "now" (0).
 */
export function parseRetryAfterMs(
  headers: HeaderReader | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const milliseconds = parseNonNegativeNumber(headers.get('retry-after-ms'));
  if (milliseconds !== undefined) return Math.round(milliseconds);
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  const seconds = parseNonNegativeNumber(value);
  if (seconds !== undefined) return Math.round(seconds * 1000);
  // An HTTP date always names its month; without this, Date.parse reads '-5' as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseNonNegativeNumber(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
