/**
 * The last line of a run on stderr: how it ended, and what it cost. Pure.
 */
import type { AgentRunResult } from '../../agent/index.js';

export function formatRunSummary(result: AgentRunResult, elapsedMs: number): string {
  const head =
    result.status === 'done' ? 'done' : `${result.status}${result.reason ? `: ${result.reason}` : ''}`;
  const tokens = result.usage.input_tokens + result.usage.output_tokens;
  const facts = [
    `${result.turns} ${result.turns === 1 ? 'turn' : 'turns'}`,
    `${tokens.toLocaleString('en-US')} tokens`,
    `$${result.usage.cost_usd.toFixed(4)}`,
    `${(elapsedMs / 1000).toFixed(1)}s`,
  ];
  if (result.filesChanged.length > 0) facts.push(`changed ${result.filesChanged.join(', ')}`);
  return `${head} (${facts.join(' · ')})`;
}

/**
 * Exit code of `loom run`: 0 only when the agent finished. 130 for a cancel (the shell's code for
 * a Ctrl-C), 1 for anything else that stopped it (model failure, a limit, the budget).
 */
export function exitCodeFor(result: Pick<AgentRunResult, 'status'>): number {
  if (result.status === 'done') return 0;
  if (result.status === 'cancelled') return 130;
  return 1;
}
