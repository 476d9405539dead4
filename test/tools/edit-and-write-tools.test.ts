import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTool } from './run-tool.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

describe('edit_file and write_file', () => {
  let ws: TemporaryWorkspace;
  const original = 'const a = 1;\nconst b = 2;\nconst a2 = 1;\n';
  const read = (relative: string): Promise<string> => readFile(path.join(ws.workspace, relative), 'utf8');
  beforeEach(async () => {
    ws = await createTemporaryWorkspace();
    await ws.write('src/code.ts', original);
  });
  afterEach(() => ws.cleanup());

  it('applies edits in order and reports the file changed', async () => {
    const result = await runTool(ws.workspace, 'edit_file', {
      path: 'src/code.ts',
      edits: [
        { old_str: 'const b = 2;', new_str: 'const b = 3;' },
        { old_str: 'const b = 3;\n', new_str: 'const b = 3;\nconst c = 4;\n' },
      ],
    });
    expect(result).toMatchObject({ isError: false, metadata: { filesChanged: ['src/code.ts'] } });
    expect(await read('src/code.ts')).toBe('const a = 1;\nconst b = 3;\nconst c = 4;\nconst a2 = 1;\n');
  });

  it('refuses an ambiguous old_str and leaves the file unchanged', async () => {
    const result = await runTool(ws.workspace, 'edit_file', {
      path: 'src/code.ts',
      edits: [{ old_str: ' = 1;', new_str: ' = 9;' }],
    });
    expect(result.isError).toBe(true);
    expect(result.output).toContain('matches 2 places');
    expect(await read('src/code.ts')).toBe(original);
  });

  it('replaces every occurrence with replace_all', async () => {
    const result = await runTool(ws.workspace, 'edit_file', {
      path: 'src/code.ts',
      edits: [{ old_str: ' = 1;', new_str: ' = 9;', replace_all: true }],
    });
    expect(result.output).toContain('2 replacements');
    expect(await read('src/code.ts')).toBe('const a = 9;\nconst b = 2;\nconst a2 = 9;\n');
  });

  it('is all-or-nothing: a failing later edit undoes the earlier ones', async () => {
    const result = await runTool(ws.workspace, 'edit_file', {
      path: 'src/code.ts',
      edits: [
        { old_str: 'const b = 2;', new_str: 'const b = 3;' },
        { old_str: 'not in the file', new_str: 'x' },
      ],
    });
    expect(result.isError).toBe(true);
    expect(result.output).toContain('Edit 2: old_str was not found');
    expect(await read('src/code.ts')).toBe(original);
  });

  it('keeps replacement patterns like $& literal', async () => {
    await runTool(ws.workspace, 'edit_file', {
      path: 'src/code.ts',
      edits: [{ old_str: 'const b = 2;', new_str: "const b = '$&$1';" }],
    });
    expect(await read('src/code.ts')).toContain("const b = '$&$1';");
  });

  it('edit_file refuses a missing file', async () => {
    const result = await runTool(ws.workspace, 'edit_file', {
      path: 'nope.ts',
      edits: [{ old_str: 'a', new_str: 'b' }],
    });
    expect(result.isError).toBe(true);
    expect(result.output).toContain('write_file');
  });

  it('write_file creates parent directories and reports the file', async () => {
    const result = await runTool(ws.workspace, 'write_file', { path: 'deep/er/new.md', content: 'hi\n' });
    expect(result).toMatchObject({ isError: false, metadata: { filesChanged: ['deep/er/new.md'] } });
    expect(result.output).toContain('Created deep/er/new.md');
    expect(await read('deep/er/new.md')).toBe('hi\n');
  });

  it('write_file overwrites an existing file and refuses a directory', async () => {
    const overwrite = await runTool(ws.workspace, 'write_file', { path: 'src/code.ts', content: 'new' });
    expect(overwrite.output).toContain('Overwrote src/code.ts');
    expect(await read('src/code.ts')).toBe('new');
    expect((await runTool(ws.workspace, 'write_file', { path: 'src', content: 'x' })).isError).toBe(true);
  });
});
