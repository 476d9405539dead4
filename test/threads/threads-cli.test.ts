/**
 * `loom threads list|show|search` as a user runs them: a real `loom` process, reading the local store
 * (`~/.loom`, with HOME pointing at a temp directory) or a real server (LOOM_SERVER_URL + LOOM_TOKEN).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { startThreadsServer, type ThreadsServer } from './support/start-threads-server.js';

const loomBin = fileURLToPath(new URL('../../src/cli/loom.js', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function loom(args: string[], env: Record<string, string>): Promise<Outcome> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !['LOOM_SERVER_URL', 'LOOM_TOKEN', 'DATABASE_URL', 'LOOM_DATA_DIR'].includes(name),
    ),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [loomBin, ...args],
      { env: { ...base, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let home: string;
let localId: string;
let server: ThreadsServer;
let remoteId: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'loom-threads-home-'));
  const store = await openStore({ dataDir: join(home, '.loom') });
  localId = (
    await store.threads.create({
      title: 'Speed up the importer',
      owner: 'me',
      sources: [{ kind: 'cli', session: 'repl-1' }],
      messages: [
        { role: 'user', content: 'the importer in src/import/csv.ts is slow' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'g1', name: 'grep', arguments: { pattern: 'parseRow', path: 'src/import' } }],
        },
        { role: 'tool', content: 'src/import/csv.ts:12: parseRow(', tool_call_id: 'g1' },
      ],
    })
  ).id;
  await store.close();
  server = await startThreadsServer();
  remoteId = (
    await server.store.threads.create({
      title: 'Flaky login test',
      owner: 'octocat',
      sources: [{ kind: 'github', repository: 'acme/web', number: 7, type: 'issue' }],
      messages: [{ role: 'user', content: 'the login test fails on Mondays' }],
    })
  ).id;
}, 60_000);

afterAll(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

describe('loom threads (local store)', () => {
  it('lists, searches and shows the threads of ~/.loom without a server', async () => {
    const env = { HOME: home };
    const list = await loom(['threads', 'list'], env);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(localId);
    expect(list.stdout).toContain('Speed up the importer');

    const search = await loom(['threads', 'search', 'src/import/csv.ts'], env);
    // Not a terminal: highlights are bracketed rather than bold.
    expect(search.code).toBe(0);
    expect(search.stdout).toContain(localId);
    expect(search.stdout).toContain('[src/import/csv.ts]');

    const show = await loom(['threads', 'show', localId], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('→ grep {"pattern":"parseRow","path":"src/import"} [g1]');
    expect(show.stdout).toContain('src/import/csv.ts:12: parseRow(');

    const missing = await loom(['threads', 'show', 'T-0196a4f0-0000-7000-8000-000000000000'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no thread');
    const invalid = await loom(['threads', 'list', '--status', 'sleeping'], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('--status must be one of');
  }, 120_000);
});

describe('loom threads (server)', () => {
  it('reads the server with LOOM_SERVER_URL and LOOM_TOKEN, scoped by the token', async () => {
    const env = { HOME: home, LOOM_SERVER_URL: server.url, LOOM_TOKEN: server.token('octocat') };
    const search = await loom(['threads', 'search', 'login', '--repository', 'acme/web', '--json'], env);
    expect(search.code).toBe(0);
    expect(JSON.parse(search.stdout).hits.map((hit: { thread: { id: string } }) => hit.thread.id)).toEqual([
      remoteId,
    ]);
    const list = await loom(['threads', 'list'], env);
    expect(list.stdout).toContain(remoteId);
    expect(list.stdout).not.toContain(localId);
    const stranger = await loom(['threads', 'list'], { ...env, LOOM_TOKEN: server.token('someone-else') });
    expect(stranger.stdout).toBe('No threads.\n');
    const badToken = await loom(['threads', 'list'], { ...env, LOOM_TOKEN: 'nope' });
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain('Loom server:');
    const noToken = await loom(['threads', 'list'], { HOME: home, LOOM_SERVER_URL: server.url });
    expect(noToken.code).toBe(78);
    expect(noToken.stderr).toContain('LOOM_TOKEN');
  }, 120_000);
});
