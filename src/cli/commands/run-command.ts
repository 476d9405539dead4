/**
 * `loom run [options] "<prompt>"`: one task, non-interactive. Steps on stderr, the answer on stdout,
 * exit 0 only when the agent finished. Needs neither Redis nor a server. `-` reads the prompt from stdin.
 */
import type { Command } from 'commander';
import { addAgentCommandOptions } from '../run/agent-command-options.js';
import { exitSoonIfSomethingLingers } from '../run/exit-soon-if-something-lingers.js';
import type { AgentCommandOptions } from '../run/resolve-run-settings.js';

export function registerRunCommand(program: Command): void {
  addAgentCommandOptions(
    program
      .command('run')
      .description('Run one task with the agent and print its answer (exit 0 when it finished)')
      .argument('<prompt...>', 'the task (quote it, or pass - to read it from stdin)'),
  ).action(async (words: string[], options: AgentCommandOptions) => {
    const [{ runTask }, { processIo }, { readPrompt }] = await Promise.all([
      import('../run/run-task.js'),
      import('../run/cli-io.js'),
      import('../run/read-prompt.js'),
    ]);
    const io = processIo();
    process.exitCode = await runTask(await readPrompt(words, io.stdin), options, io);
    exitSoonIfSomethingLingers();
  });
}
