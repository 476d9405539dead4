/**
 * `loom threads list|show|search`: against the server when LOOM_SERVER_URL is set (with LOOM_TOKEN),
 * else against this machine's own store (`~/.loom`, or LOOM_DATA_DIR / DATABASE_URL). Needs neither
 * Redis nor a running server in the local case.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { PageRequest, ThreadFilters, ThreadRepository } from '../../threads/index.js';

/** What the commands read from: the store's repository or the API client. */
type ThreadsReader = Pick<ThreadRepository, 'list' | 'search' | 'get'>;

interface ListOptions {
  repository?: string;
  source?: ThreadFilters['source'];
  status?: ThreadFilters['status'];
  limit?: number;
  cursor?: string;
  json?: boolean;
}

export function registerThreadsCommand(program: Command): void {
  const threads = program
    .command('threads')
    .description(
      'Conversations with Loom: list, show, search (the server if LOOM_SERVER_URL is set, else ~/.loom)',
    );

  withListOptions(threads.command('list').description('Threads by latest activity')).action(
    async (options: ListOptions) => {
      const { renderThreadList } = await import('../../threads/index.js');
      const filters = await filtersOf(options);
      const page = await withThreadsReader((reader) => reader.list(filters, pageOf(options)));
      write(options.json === true ? json(page) : renderThreadList(page));
    },
  );

  threads
    .command('show <id>')
    .description('One thread with its messages, tool calls and results')
    .option('--json', 'print the thread as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const { LoomError } = await import('../../errors/index.js');
      const { renderThread } = await import('../../threads/index.js');
      const thread = await withThreadsReader((reader) => reader.get(id));
      if (thread === undefined) throw new LoomError('not_found', `no thread ${id}`);
      write(options.json === true ? json(thread) : renderThread(thread));
    });

  withListOptions(
    threads
      .command('search <query...>')
      .description('Ranked full-text search (words, paths, branches, SHA prefixes)'),
  ).action(async (words: string[], options: ListOptions) => {
    const { ansiBoldHighlighter, bracketHighlighter, renderSearchHits } =
      await import('../../threads/index.js');
    const query = words.join(' ');
    const filters = await filtersOf(options);
    const page = await withThreadsReader((reader) => reader.search(query, filters, pageOf(options)));
    const highlight = process.stdout.isTTY ? ansiBoldHighlighter : bracketHighlighter;
    write(options.json === true ? json(page) : renderSearchHits(page, highlight));
  });
}

function withListOptions(command: Command): Command {
  return command
    .option('--repository <owner/name>', 'only threads about this repository')
    .option('--source <kind>', 'only threads from slack, github, chore or cli')
    .option('--status <status>', 'open, running, done, failed, cancelled or over-budget')
    .option('--limit <n>', 'threads per page (1-100, default 20)', parseLimit)
    .option('--cursor <cursor>', 'the next page, as printed under the previous one')
    .option('--json', 'print JSON');
}

/** Opens the server client or the local store, runs `work`, and closes what it opened. */
async function withThreadsReader<T>(work: (reader: ThreadsReader) => Promise<T>): Promise<T> {
  const { cliDataSource } = await import('./cli-data-source.js');
  const { config, server } = cliDataSource();
  if (server !== undefined) {
    const { createThreadsClient } = await import('../../threads/index.js');
    return work(createThreadsClient({ baseUrl: server.url, token: server.token }));
  }
  const { openStore } = await import('../../store/index.js');
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    return await work(store.threads);
  } finally {
    await store.close();
  }
}

async function filtersOf(options: ListOptions): Promise<ThreadFilters> {
  const { LoomError } = await import('../../errors/index.js');
  const { threadSourceKinds, threadStatuses } = await import('../../threads/index.js');
  const check = (value: string | undefined, allowed: readonly string[], name: string) => {
    if (value !== undefined && !allowed.includes(value)) {
      throw new LoomError('invalid_input', `--${name} must be one of ${allowed.join(', ')}`);
    }
  };
  check(options.source, threadSourceKinds, 'source');
  check(options.status, threadStatuses, 'status');
  return {
    ...(options.repository === undefined ? {} : { repository: options.repository }),
    ...(options.source === undefined ? {} : { source: options.source }),
    ...(options.status === undefined ? {} : { status: options.status }),
  };
}

function pageOf(options: ListOptions): PageRequest {
  return { limit: options.limit, cursor: options.cursor };
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new InvalidArgumentError('must be 1-100');
  return limit;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function write(text: string): void {
  process.stdout.write(text);
}
