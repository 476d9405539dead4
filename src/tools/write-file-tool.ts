/** `write_file`: create or overwrite a file, creating parent directories (DESIGN §4). */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { resolveWorkspacePath } from './resolve-workspace-path.js';
import { errorResult, successResult } from './tool-results.js';
import type { Tool, ToolContext, ToolResult } from './tool-types.js';

const writeFileInput = z.object({
  path: z.string().min(1).describe('File to write, relative to the workspace.'),
  content: z.string().describe('The complete new content of the file.'),
});

export type WriteFileInput = z.infer<typeof writeFileInput>;

async function writeWorkspaceFile(input: WriteFileInput, context: ToolContext): Promise<ToolResult> {
  const target = await resolveWorkspacePath(context.workspace, input.path);
  if (target.relative === '.') return errorResult('The workspace itself cannot be written as a file.');
  if (target.exists && (await stat(target.absolute)).isDirectory()) {
    return errorResult(`${input.path} is a directory.`);
  }
  // The missing part of the path was checked by resolveWorkspacePath: it is created from a real
  // directory inside the workspace, so mkdir cannot follow a link out.
  await mkdir(path.dirname(target.absolute), { recursive: true });
  await writeFile(target.absolute, input.content, 'utf8');
  const verb = target.exists ? 'Overwrote' : 'Created';
  return successResult(`${verb} ${target.relative} (${Buffer.byteLength(input.content)} bytes).`, {
    filesChanged: [target.relative],
  });
}

/** The `write_file` tool. */
export const writeFileTool: Tool<WriteFileInput> = {
  name: 'write_file',
  description:
    'Write a file in the workspace with the given content, replacing it if it exists and creating ' +
    'missing parent directories. Prefer edit_file for changes to existing files.',
  inputSchema: writeFileInput,
  readOnly: false,
  execute: writeWorkspaceFile,
};
