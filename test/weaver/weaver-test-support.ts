/** Test support for weaver tests: a capturing logger, a real git repository, a tool-call helper. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logging/index.js';
import type { ToolResult } from '../../src/tools/index.js';
import type { Weaver } from '../../src/weaver/index.js';

export function captureLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n'))
        if (line !== '') records.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ destination, level: 'debug' }), records };
}

export function call(
  weaver: Weaver,
  name: string,
  args: Record<string, unknown>,
  options: { signal?: AbortSignal; onProgress?: (text: string) => void } = {},
): Promise<ToolResult> {
  return weaver.execute(
    { id: `call-${name}`, name, arguments: args },
    {
      signal: options.signal ?? new AbortController().signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
}

const gitEnvironment = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: os.tmpdir(),
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnvironment, encoding: 'utf8' }).trim();
}

/** A real repository with two commits on `main`. */
export async function createOriginRepository(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'loom-origin-'));
  git(directory, 'init', '-q', '-b', 'main');
  await writeFile(path.join(directory, 'README.md'), '# Demo\n');
  git(directory, 'add', '.');
  git(directory, 'commit', '-q', '-m', 'first');
  await writeFile(path.join(directory, 'app.js'), 'console.log(1);\n');
  git(directory, 'add', '.');
  git(directory, 'commit', '-q', '-m', 'second');
  return directory;
}

/** `git bundle create` of `refs` in `repository`, as bytes. */
export function bundleOf(repository: string, ...refs: string[]): Buffer {
  const file = path.join(repository, '.git', `test-${Date.now()}.bundle`);
  git(repository, 'bundle', 'create', '-q', file, ...refs);
  return readFileSync(file);
}
