import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerChoresCommand } from './commands/chores-command.js';
import { registerReplCommands } from './commands/repl-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerServiceCommands } from './commands/service-commands.js';
import { registerThreadsCommand } from './commands/threads-command.js';
import { registerTokenCommand } from './commands/token-command.js';
import { registerUsageCommand } from './commands/usage-command.js';
import { registerWeaverAgentCommand } from './commands/weaver-agent-command.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export function createProgram(): Command {
  const program = new Command('loom')
    .description('Loom: a self-hosted coding agent for teams (Slack, GitHub, CLI).')
    .version(packageJson.version, '-v, --version')
    .exitOverride()
    .showHelpAfterError();
  registerServiceCommands(program);
  registerTokenCommand(program);
  registerWeaverAgentCommand(program);
  registerRunCommand(program);
  registerReplCommands(program);
  registerThreadsCommand(program);
  registerChoresCommand(program);
  registerUsageCommand(program);
  return program;
}
