/** `edit_file`: exact string replacements in one file, all or nothing (DESIGN §4). */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { applyEdits } from './apply-edits.js';
import { resolveWorkspacePath } from './resolve-workspace-path.js';
import { errorResult, successResult } from './tool-results.js';
import type { Tool, ToolContext, ToolResult } from './tool-types.js';

const editFileInput = z.object({
  path: z.string().min(1).describe('File to edit, relative to the workspace.'),
  edits: z
    .array(
      z.object({
        old_str: z.string().describe('Exact text to replace (must match exactly once unless replace_all).'),
        new_str: z.string().describe('Replacement text.'),
        replace_all: z.boolean().optional().describe('Replace every occurrence. Default false.'),
      }),
    )
    .min(1)
    .describe('Replacements applied in order; if any fails, the file is left unchanged.'),
});

export type EditFileInput = z.infer<typeof editFileInput>;

async function editFile(input: EditFileInput, context: ToolContext): Promise<ToolResult> {
  const target = await resolveWorkspacePath(context.workspace, input.path);
  if (!target.exists) return errorResult(`File not found: ${input.path}. Use write_file to create a file.`);
  if (!(await stat(target.absolute)).isFile()) return errorResult(`${input.path} is not a regular file.`);
  const before = await readFile(target.absolute, 'utf8');
  const applied = applyEdits(before, input.edits);
  if (!applied.ok) return errorResult(`${applied.message}\nNo change was made to ${target.relative}.`);
  await writeFile(target.absolute, applied.content, 'utf8');
  const plural = applied.replacements === 1 ? '' : 's';
  return successResult(`Edited ${target.relative}: ${applied.replacements} replacement${plural}.`, {
    filesChanged: [target.relative],
  });
}

/** The `edit_file` tool. */
export const editFileTool: Tool<EditFileInput> = {
  name: 'edit_file',
  description:
    'Edit a file by exact string replacement. Each old_str must match exactly once (include enough ' +
    'surrounding lines) unless replace_all is set. All edits apply, or none do.',
  inputSchema: editFileInput,
  readOnly: false,
  execute: editFile,
};
