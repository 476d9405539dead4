/**
 * `loom chores list [owner/repo]` and `loom chores run owner/repo name [--wait]`: against the running
 * server (LOOM_SERVER_URL + LOOM_TOKEN, an admin token), like `loom threads` does remotely.
 */
import { InvalidArgumentError, type Command } from 'commander';

export function registerChoresCommand(program: Command): void {
  const chores = program
    .command('chores')
    .description(
      'Scheduled repository chores (.loom/chores.yml), from the server (LOOM_SERVER_URL + LOOM_TOKEN)',
    );

  chores
    .command('list [repository]')
    .description('Chores (of one owner/repo) with their next run time')
    .option('--json', 'print JSON')
    .action(async (repository: string | undefined, options: { json?: boolean }) => {
      const { renderChoreList } = await import('../chores/render-chores.js');
      const client = await choresClient();
      const list = await client.list(repository === undefined ? undefined : repositoryOf(repository));
      process.stdout.write(
        options.json === true ? `${JSON.stringify(list, null, 2)}\n` : renderChoreList(list),
      );
    });

  chores
    .command('run <repository> <name>')
    .description('Run a chore now; with --wait, exit when the run ended (non-zero if it failed)')
    .option('--wait', 'wait for the run to end')
    .option('--poll-ms <ms>', 'how often --wait asks the server (default 2000)', parsePollMs)
    .action(async (repository: string, name: string, options: { wait?: boolean; pollMs?: number }) => {
      const { failedChoreStatuses, finalChoreStatuses, renderChoreRun } =
        await import('../chores/render-chores.js');
      const client = await choresClient();
      const started = await client.run(repositoryOf(repository), name);
      process.stderr.write(`enqueued ${started.runId}\n`);
      if (options.wait !== true) {
        process.stdout.write(`${started.runId}\n`);
        return;
      }
      for (;;) {
        const run = await client.getRun(started.runId);
        if (finalChoreStatuses.has(run.status)) {
          process.stdout.write(renderChoreRun(run));
          if (failedChoreStatuses.has(run.status)) process.exitCode = 1;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2000));
      }
    });
}

async function choresClient() {
  const { LoomError } = await import('../../errors/index.js');
  const { cliDataSource } = await import('./cli-data-source.js');
  const { server } = cliDataSource('`loom token create --role admin`');
  if (server === undefined) {
    throw new LoomError(
      'config_invalid',
      'loom chores talks to a running Loom: set LOOM_SERVER_URL (and LOOM_TOKEN)',
    );
  }
  const { createChoresClient } = await import('../chores/chores-client.js');
  return createChoresClient({ baseUrl: server.url, token: server.token });
}

function repositoryOf(value: string): string {
  if (!/^[\w.-]+\/[\w.-]+$/.test(value)) throw new InvalidArgumentError(`"${value}" is not owner/repo`);
  return value;
}

function parsePollMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 50 || ms > 60_000) throw new InvalidArgumentError('must be 50-60000');
  return ms;
}
