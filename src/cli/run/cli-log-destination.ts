/**
 * A pino destination for interactive commands: each JSON log line becomes one readable line
 * (`warning: weaver runs WITHOUT a sandbox (reason: …)`) handed to a sink, so log lines share
 * stderr with the spinner instead of breaking it.
 */
const levelLabels: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warning',
  50: 'error',
  60: 'fatal',
};

/** Fields pino adds to every line; the rest are the facts worth showing. */
const envelopeFields = new Set(['level', 'time', 'msg', 'name', 'pid', 'hostname', 'component']);

export function formatLogLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const label = levelLabels[Number(entry.level)] ?? 'log';
  const facts = Object.entries(entry)
    .filter(([key]) => !envelopeFields.has(key))
    .map(([key, value]) => `${key}: ${describe(value)}`);
  return `${label}: ${String(entry.msg ?? '')}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && 'message' in value) return String(value.message);
  return JSON.stringify(value);
}

/** `{ write }` for `createLogger({ destination })`. */
export function createCliLogDestination(sink: (line: string) => void): { write(chunk: string): void } {
  return {
    write(chunk) {
      for (const line of chunk.split('\n')) if (line.trim() !== '') sink(formatLogLine(line));
    },
  };
}
