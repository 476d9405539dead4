import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTool } from './run-tool.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

describe('list_files, glob and grep', () => {
  let ws: TemporaryWorkspace;
  beforeEach(async () => {
    ws = await createTemporaryWorkspace();
    await ws.write('.gitignore', 'ignored/\n*.log\n');
    await ws.write('README.md', '# Demo\nTODO: write docs\n');
    await ws.write('src/index.ts', 'export const answer = 42;\n// todo lowercase\n');
    await ws.write('src/util/math.ts', 'export function add(a: number, b: number) { return a + b; }\n');
    await ws.write('src/util/math.test.ts', "import { add } from './math';\n");
    await ws.write('.github/workflows/ci.yml', 'name: ci\n');
    await ws.write('ignored/secret.ts', 'export const TODO = 1;\n');
    await ws.write('debug.log', 'TODO in a log\n');
    await ws.write('.git/config', '[core]\n');
  });
  afterEach(() => ws.cleanup());

  it('list_files shows direct children, directories with a slash, honouring .gitignore', async () => {
    const result = await runTool(ws.workspace, 'list_files', {});
    expect(result.isError).toBe(false);
    expect(result.output.split('\n')).toEqual(['.github/', '.gitignore', 'README.md', 'src/']);
  });

  it('list_files lists every file below a directory when recursive', async () => {
    const result = await runTool(ws.workspace, 'list_files', { path: 'src', recursive: true });
    expect(result.output.split('\n')).toEqual(['src/index.ts', 'src/util/math.test.ts', 'src/util/math.ts']);
  });

  it('list_files stops at max_results and says so', async () => {
    const result = await runTool(ws.workspace, 'list_files', { recursive: true, max_results: 2 });
    expect(result.output.split('\n').slice(0, 2)).toHaveLength(2);
    expect(result.output).toContain('only the first 2 entries');
    expect(result.metadata?.truncated).toBe(true);
  });

  it('list_files refuses a file and a missing directory', async () => {
    expect((await runTool(ws.workspace, 'list_files', { path: 'README.md' })).isError).toBe(true);
    expect((await runTool(ws.workspace, 'list_files', { path: 'nope' })).isError).toBe(true);
  });

  it('glob matches at any depth and relative to path', async () => {
    const all = await runTool(ws.workspace, 'glob', { pattern: '*.ts' });
    expect(all.output.split('\n')).toEqual(['src/index.ts', 'src/util/math.test.ts', 'src/util/math.ts']);
    const nested = await runTool(ws.workspace, 'glob', { pattern: 'util/*.test.ts', path: 'src' });
    expect(nested.output).toBe('src/util/math.test.ts');
    const none = await runTool(ws.workspace, 'glob', { pattern: '*.rs' });
    expect(none).toMatchObject({ isError: false, output: 'No files match *.rs in ..' });
  });

  it('grep returns path:line:text, case-sensitive by default', async () => {
    const result = await runTool(ws.workspace, 'grep', { pattern: 'TODO' });
    expect(result.output).toBe('README.md:2:TODO: write docs');
  });

  it('grep honours ignore_case, include and path', async () => {
    const insensitive = await runTool(ws.workspace, 'grep', { pattern: 'todo', ignore_case: true });
    expect(insensitive.output.split('\n')).toEqual([
      'README.md:2:TODO: write docs',
      'src/index.ts:2:// todo lowercase',
    ]);
    const included = await runTool(ws.workspace, 'grep', { pattern: 'export', include: '*.test.ts' });
    expect(included.output).toContain('No matches');
    const inFile = await runTool(ws.workspace, 'grep', { pattern: 'add', path: 'src/util/math.ts' });
    expect(inFile.output).toBe(
      'src/util/math.ts:1:export function add(a: number, b: number) { return a + b; }',
    );
  });

  it('grep stops at max_results', async () => {
    await ws.write('many.txt', Array.from({ length: 50 }, () => 'needle').join('\n'));
    const result = await runTool(ws.workspace, 'grep', { pattern: 'needle', max_results: 5 });
    expect(result.output.split('\n').filter((line) => line.startsWith('many.txt:'))).toHaveLength(5);
    expect(result.output).toContain('only the first 5 matches');
  });

  it('grep reports an invalid regular expression as an error result', async () => {
    const result = await runTool(ws.workspace, 'grep', { pattern: '(unclosed' });
    expect(result.isError).toBe(true);
    expect(result.output).toContain('grep failed');
  });
});
