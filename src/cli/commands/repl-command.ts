/**
 * `loom` (no command) and `loom repl`: the interactive agent. `loom resume [id]`: continue a saved
 * conversation (the newest one without an id). Both need neither Redis nor a server.
 */
import type { Command } from 'commander';
import { addAgentCommandOptions } from '../run/agent-command-options.js';
import { exitSoonIfSomethingLingers } from '../run/exit-soon-if-something-lingers.js';
import type { AgentCommandOptions } from '../run/resolve-run-settings.js';

export function registerReplCommands(program: Command): void {
  addAgentCommandOptions(
    // isDefault: commander runs it when no command is named, so `loom` alone opens the REPL.
    program
      .command('repl', { isDefault: true })
      .description('Talk to the agent (what `loom` alone opens)')
      // Words after `loom` land here (the default command): refused below with a clearer message.
      .allowExcessArguments(true),
  ).action(async (options: AgentCommandOptions, command: Command) => {
    if (command.args.length > 0) {
      const { LoomError } = await import('../../errors/index.js');
      const words = command.args.join(' ');
      throw new LoomError(
        'invalid_input',
        `unknown command "${command.args[0]}" (for a one-off task: loom run "${words}"; loom --help lists the commands)`,
      );
    }
    await openRepl(options);
  });
  addAgentCommandOptions(
    program
      .command('resume')
      .description('Continue a saved conversation in the REPL (default: the newest one)')
      .argument('[id]', 'the conversation id (T-…), as the REPL printed it'),
  ).action(async (id: string | undefined, options: AgentCommandOptions) => {
    await openRepl({ ...options, resume: id ?? 'latest' });
  });
}

async function openRepl(options: AgentCommandOptions & { resume?: string }): Promise<void> {
  const [{ runRepl }, { processIo }] = await Promise.all([
    import('../run/repl/run-repl.js'),
    import('../run/cli-io.js'),
  ]);
  process.exitCode = await runRepl(options, processIo());
  exitSoonIfSomethingLingers();
}
