/**
 * `loom weaver-agent --workspace DIR`: the tool server a weaver runs. It speaks the weaver protocol
 * on stdin/stdout (so nothing else may print to stdout) and logs to stderr. Started by the local
 * weaver backend inside bubblewrap, or in a Kubernetes pod; not meant to be run by hand.
 */
import path from 'node:path';
import type { Command } from 'commander';

export function registerWeaverAgentCommand(program: Command): void {
  program
    .command('weaver-agent')
    .description('Serve tool calls over stdio for a weaver (internal: started by Loom)')
    .requiredOption('--workspace <dir>', 'the workspace every tool is confined to')
    .action(async (options: { workspace: string }) => {
      const [{ serveWeaverAgent }, { createBuiltinTools, defaultToolEnvironment }, { createLogger }] =
        await Promise.all([
          import('../../weaver/index.js'),
          import('../../tools/index.js'),
          import('../../logging/index.js'),
        ]);
      const logger = createLogger({ destination: process.stderr, level: 'warn', name: 'loom-weaver-agent' });
      // The agent's own environment is already the clean one its parent chose; commands keep its
      // PATH and HOME and get the usual non-interactive switches.
      const bashEnvironment = defaultToolEnvironment({
        ...(process.env.PATH === undefined ? {} : { PATH: process.env.PATH }),
        ...(process.env.HOME === undefined ? {} : { HOME: process.env.HOME }),
      });
      await serveWeaverAgent({
        input: process.stdin,
        output: process.stdout,
        workspace: path.resolve(options.workspace),
        tools: createBuiltinTools({ bash: { env: bashEnvironment } }),
        logger,
      });
      process.stdin.destroy();
      // Whatever a command left behind (a background job holding a handle) must not keep us alive.
      setTimeout(() => process.exit(0), 1000).unref();
    });
}
