import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileCapBytes } from '../../src/tools/index.js';
import { runTool } from './run-tool.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

describe('read_file', () => {
  let ws: TemporaryWorkspace;
  beforeEach(async () => {
    ws = await createTemporaryWorkspace();
  });
  afterEach(() => ws.cleanup());

  it('returns numbered lines', async () => {
    await ws.write('a.txt', 'alpha\nbeta\ngamma\n');
    const result = await runTool(ws.workspace, 'read_file', { path: 'a.txt' });
    expect(result.isError).toBe(false);
    expect(result.output).toBe('     1\talpha\n     2\tbeta\n     3\tgamma');
  });

  it('pages with offset and limit and says where to continue', async () => {
    await ws.write('a.txt', Array.from({ length: 10 }, (_, index) => `line ${index + 1}`).join('\n'));
    const result = await runTool(ws.workspace, 'read_file', { path: 'a.txt', offset: 3, limit: 2 });
    expect(result.output).toContain('     3\tline 3\n     4\tline 4');
    expect(result.output).not.toContain('line 5');
    expect(result.output).toContain('offset=5');
    expect(result.metadata?.truncated).toBe(true);
  });

  it('reports an offset past the end as an error', async () => {
    await ws.write('a.txt', 'one\ntwo\n');
    const result = await runTool(ws.workspace, 'read_file', { path: 'a.txt', offset: 9 });
    expect(result.isError).toBe(true);
    expect(result.output).toContain('past the end');
  });

  it('caps one read at 1 MiB', async () => {
    const line = 'x'.repeat(999);
    await ws.write('big.txt', Array.from({ length: 3000 }, () => line).join('\n'));
    const result = await runTool(ws.workspace, 'read_file', { path: 'big.txt', limit: 3000 });
    expect(Buffer.byteLength(result.output)).toBeLessThanOrEqual(readFileCapBytes + 200);
    expect(Buffer.byteLength(result.output)).toBeGreaterThan(readFileCapBytes - 2000);
    expect(result.output).toMatch(/1 MiB read cap was reached; the file continues: read on with offset=\d+/);
    expect(result.metadata?.truncated).toBe(true);
  });

  it('errors on a missing file, a directory and a binary file', async () => {
    await ws.write('dir/x.txt', 'x');
    await writeFile(path.join(ws.workspace, 'blob.bin'), Buffer.from([1, 2, 0, 3]));
    const missing = await runTool(ws.workspace, 'read_file', { path: 'nope.txt' });
    const directory = await runTool(ws.workspace, 'read_file', { path: 'dir' });
    const binary = await runTool(ws.workspace, 'read_file', { path: 'blob.bin' });
    expect(missing).toMatchObject({ isError: true, output: 'File not found: nope.txt' });
    expect(directory.isError).toBe(true);
    expect(directory.output).toContain('is a directory');
    expect(binary.isError).toBe(true);
    expect(binary.output).toContain('binary');
  });

  it('says so when a file is empty', async () => {
    await ws.write('empty.txt', '');
    const result = await runTool(ws.workspace, 'read_file', { path: 'empty.txt' });
    expect(result).toMatchObject({ isError: false, output: '(empty.txt is empty)' });
  });

  it('accepts an absolute path inside the workspace', async () => {
    const file = await ws.write('src/a.ts', 'export {};\n');
    const result = await runTool(ws.workspace, 'read_file', { path: file });
    expect(result).toMatchObject({ isError: false, output: '     1\texport {};' });
  });
});
