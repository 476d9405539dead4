/**
 * The options `loom run`, `loom` (REPL) and `loom resume` share, declared once.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { defaultMaxTurns } from './resolve-run-settings.js';

export function addAgentCommandOptions(command: Command): Command {
  return command
    .option('-w, --workspace <dir>', 'the directory the agent works in (default: the current directory)')
    .option(
      '-m, --model <model>',
      'provider/model, e.g. anthropic/claude-sonnet-4-6 or openai/gpt-4.1 (default: LOOM_MODEL, else from the API key set)',
    )
    .option(
      '--max-turns <n>',
      `model turns allowed per task (default ${defaultMaxTurns})`,
      parsePositiveInteger,
    )
    .option('--max-cost-usd <usd>', 'stop a task once it has cost this many US dollars', parseUsd)
    .option('--no-sandbox', 'run tools without bubblewrap (like LOOM_SANDBOX=off; prints a warning)');
}

function parsePositiveInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new InvalidArgumentError('must be a whole number of at least 1');
  }
  return Number(value);
}

function parseUsd(value: string): number {
  const amount = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || amount <= 0) {
    throw new InvalidArgumentError('must be a positive number of US dollars, e.g. 2 or 0.50');
  }
  return amount;
}
