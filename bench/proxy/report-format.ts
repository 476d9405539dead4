/** Figures of the proxy benchmark as Markdown table cells. */
import type { RunResult } from './load-generator.js';

/** CPU of the serving process only: the proxy's own cost, without the mock upstream behind it. */
export function formatCpu(result: RunResult): string {
  return result.cpuMsPerRequest === undefined ? 'n/a' : result.cpuMsPerRequest.toFixed(2);
}

export function formatMs(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(2);
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}
