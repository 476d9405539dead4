import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTool } from './run-tool.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

/** One call per path-taking tool, with `target` as its path. */
function callsWithPath(target: string): Array<[string, Record<string, unknown>]> {
  return [
    ['read_file', { path: target }],
    ['list_files', { path: target }],
    ['glob', { pattern: '*', path: target }],
    ['grep', { pattern: '.', path: target }],
    ['edit_file', { path: target, edits: [{ old_str: 'outside', new_str: 'pwned' }] }],
    ['write_file', { path: target, content: 'pwned' }],
  ];
}

describe('path confinement of every path-taking tool', () => {
  let ws: TemporaryWorkspace;
  beforeEach(async () => {
    ws = await createTemporaryWorkspace();
    await ws.write('inside.txt', 'inside\n');
    await symlink(path.join(ws.outside, 'secret.txt'), path.join(ws.workspace, 'link-to-secret.txt'));
    await symlink(ws.outside, path.join(ws.workspace, 'link-to-outside'));
    await symlink(path.join(ws.outside, 'not-yet.txt'), path.join(ws.workspace, 'dangling.txt'));
    await symlink('inside.txt', path.join(ws.workspace, 'link-inside.txt'));
  });
  afterEach(() => ws.cleanup());

  const escapes = (): string[] => [
    '../outside/secret.txt',
    'sub/../../outside/secret.txt',
    path.join(ws.outside, 'secret.txt'),
    '/etc/passwd',
    'link-to-secret.txt',
    'link-to-outside',
    'link-to-outside/secret.txt',
    'link-to-outside/new/file.txt',
    'dangling.txt',
  ];

  it('refuses every escape with an error result, for every tool', async () => {
    for (const target of escapes()) {
      for (const [tool, args] of callsWithPath(target)) {
        const result = await runTool(ws.workspace, tool, args);
        expect({ tool, target, isError: result.isError }).toEqual({ tool, target, isError: true });
        expect(result.output).toContain('outside the workspace');
        expect(result.output).not.toContain(ws.secret);
      }
    }
  });

  it('leaves everything outside untouched after the attempts', async () => {
    for (const target of escapes()) {
      for (const [tool, args] of callsWithPath(target)) await runTool(ws.workspace, tool, args);
    }
    expect(await readFile(path.join(ws.outside, 'secret.txt'), 'utf8')).toBe(`${ws.secret}\n`);
    expect(existsSync(path.join(ws.outside, 'not-yet.txt'))).toBe(false);
    expect(existsSync(path.join(ws.outside, 'new'))).toBe(false);
  });

  it('never follows links out while listing or searching the whole workspace', async () => {
    const listing = await runTool(ws.workspace, 'list_files', { recursive: true });
    const globbed = await runTool(ws.workspace, 'glob', { pattern: '**/*' });
    const searched = await runTool(ws.workspace, 'grep', { pattern: 'outside-secret' });
    expect(listing.output).not.toContain('link-to-outside/secret.txt');
    expect(globbed.output).not.toContain('link-to-outside/secret.txt');
    expect(searched.output).not.toContain(ws.secret);
    expect(searched.output).toContain('No matches');
  });

  it('still allows a link that stays inside the workspace', async () => {
    const result = await runTool(ws.workspace, 'read_file', { path: 'link-inside.txt' });
    expect(result).toMatchObject({ isError: false, output: '     1\tinside' });
    const edit = await runTool(ws.workspace, 'edit_file', {
      path: 'link-inside.txt',
      edits: [{ old_str: 'inside', new_str: 'changed' }],
    });
    expect(edit.metadata?.filesChanged).toEqual(['inside.txt']);
  });
});
