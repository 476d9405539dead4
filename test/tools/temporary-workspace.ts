/** Test support: a real temporary workspace next to a real "outside" directory holding a secret. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ToolContext } from '../../src/tools/index.js';

export interface TemporaryWorkspace {
  /** The workspace tools are confined to. */
  workspace: string;
  /** A sibling directory the tools must never reach; holds `secret.txt`. */
  outside: string;
  secret: string;
  context(overrides?: Partial<ToolContext>): ToolContext;
  write(relative: string, content: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createTemporaryWorkspace(): Promise<TemporaryWorkspace> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'loom-tools-'));
  const workspace = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  await mkdir(workspace);
  await mkdir(outside);
  const secret = `outside-secret-${Math.random().toString(36).slice(2)}`;
  await writeFile(path.join(outside, 'secret.txt'), `${secret}\n`);
  return {
    workspace,
    outside,
    secret,
    context: (overrides = {}) => ({ workspace, signal: new AbortController().signal, ...overrides }),
    async write(relative, content) {
      const file = path.join(workspace, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
