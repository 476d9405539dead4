import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createToolRegistry, type Tool } from '../../src/tools/index.js';
import { runTool } from './run-tool.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

describe('createToolRegistry', () => {
  let ws: TemporaryWorkspace;
  beforeEach(async () => {
    ws = await createTemporaryWorkspace();
  });
  afterEach(() => ws.cleanup());

  it('offers the seven contract tools with JSON Schemas generated from zod', () => {
    const registry = createToolRegistry({ workspace: ws.workspace });
    const definitions = registry.definitions();
    expect(definitions.map((definition) => definition.name)).toEqual([
      'read_file',
      'list_files',
      'glob',
      'grep',
      'edit_file',
      'write_file',
      'bash',
    ]);
    const byName = new Map(definitions.map((definition) => [definition.name, definition.input_schema]));
    expect(byName.get('read_file')).toMatchObject({
      type: 'object',
      required: ['path'],
      properties: { path: { type: 'string' }, offset: { type: 'integer' }, limit: { type: 'integer' } },
    });
    expect(byName.get('bash')).toMatchObject({
      required: ['command'],
      properties: { timeout_secs: { type: 'integer', maximum: 600 } },
    });
    expect(byName.get('edit_file')).toMatchObject({
      required: ['path', 'edits'],
      properties: {
        edits: {
          type: 'array',
          items: { required: ['old_str', 'new_str'], properties: { replace_all: { type: 'boolean' } } },
        },
      },
    });
    expect(byName.get('grep')?.required).toEqual(['pattern']);
    expect(byName.get('list_files')?.required).toBeUndefined();
    for (const schema of byName.values()) expect(schema).not.toHaveProperty('$schema');
  });

  it('marks the read-only tools', () => {
    const registry = createToolRegistry({ workspace: ws.workspace });
    const readOnly = registry.definitions().filter((definition) => registry.isReadOnly(definition.name));
    expect(readOnly.map((definition) => definition.name)).toEqual([
      'read_file',
      'list_files',
      'glob',
      'grep',
    ]);
    expect(registry.isReadOnly('no_such_tool')).toBe(false);
  });

  it('returns invalid input as an error result naming the field', async () => {
    const wrongType = await runTool(ws.workspace, 'read_file', { path: 3 });
    expect(wrongType.isError).toBe(true);
    expect(wrongType.output).toContain('Invalid input for read_file');
    expect(wrongType.output).toContain('path');
    const tooLong = await runTool(ws.workspace, 'bash', { command: 'true', timeout_secs: 601 });
    expect(tooLong.isError).toBe(true);
    expect(tooLong.output).toContain('timeout_secs');
    const noEdits = await runTool(ws.workspace, 'edit_file', { path: 'a', edits: [] });
    expect(noEdits.output).toContain('edits');
  });

  it('returns an unknown tool as an error result listing the tools', async () => {
    const result = await runTool(ws.workspace, 'delete_everything', {});
    expect(result.isError).toBe(true);
    expect(result.output).toContain('Unknown tool "delete_everything"');
    expect(result.output).toContain('read_file');
  });

  it('turns an exception inside a tool into an error result', async () => {
    const exploding: Tool<{ value: string }> = {
      name: 'explode',
      description: 'throws',
      inputSchema: z.object({ value: z.string() }),
      readOnly: true,
      execute: () => Promise.reject(new Error('boom')),
    };
    const registry = createToolRegistry({ workspace: ws.workspace, tools: [exploding as Tool] });
    const result = await registry.execute(
      { id: '1', name: 'explode', arguments: { value: 'x' } },
      { signal: new AbortController().signal },
    );
    expect(result).toEqual({ output: 'Tool failed: boom', isError: true });
  });

  it('does not start a call that was already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runTool(
      ws.workspace,
      'write_file',
      { path: 'x.txt', content: 'x' },
      { signal: controller.signal },
    );
    expect(result.isError).toBe(true);
    expect(result.output).toContain('cancelled');
  });
});
