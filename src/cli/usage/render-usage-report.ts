/** `loom usage` as a table: one line per subject, model or job, dearest first, and the total. */
import type { UsageReportAnswer, UsageReportRow } from '../../proxy/index.js';

/** Cache reads and writes are parts of the input tokens, shown so a team sees what its cache saves. */
const headings = ['calls', 'failed', 'input tokens', 'cache reads', 'cache writes', 'output tokens', 'cost'];

export function renderUsageReport(answer: UsageReportAnswer): string {
  const scope = answer.subject === undefined ? '' : ` for ${answer.subject}`;
  const title = `usage${scope} from ${answer.since} to ${answer.until}, by ${answer.by}`;
  if (answer.rows.length === 0) return `${title}\nno model calls in this window\n`;
  const line = (key: string, row: Omit<UsageReportRow, 'key'>): string[] => [
    key,
    String(row.calls),
    String(row.failedCalls),
    String(row.inputTokens),
    String(row.cacheReadTokens),
    String(row.cacheWriteTokens),
    String(row.outputTokens),
    `$${row.costUsd.toFixed(4)}`,
  ];
  const table = [
    [answer.by, ...headings],
    ...answer.rows.map((row) => line(row.key, row)),
    line('total', answer.total),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  const rendered = table.map((cells) =>
    cells
      // The key column reads left to right; the numbers line up on the right.
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
  return `${title}\n${rendered.join('\n')}\n`;
}
