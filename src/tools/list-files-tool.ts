/** `list_files`: what is in a workspace directory, honouring .gitignore (DESIGN §4). */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { capOutput } from './cap-output.js';
import { resolveWorkspacePath } from './resolve-workspace-path.js';
import { commonRipgrepFlags, runRipgrep } from './run-ripgrep.js';
import { errorResult, successResult } from './tool-results.js';
import type { Tool, ToolContext, ToolResult } from './tool-types.js';

const defaultMaxResults = 1000;
/** Files ripgrep may report while a non-recursive listing derives the top-level entries. */
const scanLimit = 200_000;

const listFilesInput = z.object({
  path: z
    .string()
    .optional()
    .describe('Directory to list, relative to the workspace. Default: the workspace.'),
  recursive: z.boolean().optional().describe('List files in all subdirectories too. Default false.'),
  max_results: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe(`Maximum entries returned. Default ${defaultMaxResults}.`),
});

export type ListFilesInput = z.infer<typeof listFilesInput>;

function stripDotSlash(line: string): string {
  return line.startsWith('./') ? line.slice(2) : line;
}

/**
 * Direct children of `directory` (a workspace-relative prefix, '' for the root) among `files`;
 * directories get a trailing `/`. Derived from the file list, so ignored and empty directories do
 * not appear.
 */
export function topLevelEntries(files: string[], directory: string): string[] {
  const prefix = directory === '' ? '' : `${directory}/`;
  const entries = new Set<string>();
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    const rest = file.slice(prefix.length);
    const slash = rest.indexOf('/');
    entries.add(slash === -1 ? `${prefix}${rest}` : `${prefix}${rest.slice(0, slash)}/`);
  }
  return [...entries].sort();
}

async function listFiles(input: ListFilesInput, context: ToolContext): Promise<ToolResult> {
  const requested = input.path ?? '.';
  const target = await resolveWorkspacePath(context.workspace, requested);
  if (!target.exists) return errorResult(`Directory not found: ${requested}`);
  if (!(await stat(target.absolute)).isDirectory()) {
    return errorResult(`${requested} is a file, not a directory; use read_file to read it.`);
  }
  const maxResults = input.max_results ?? defaultMaxResults;
  const recursive = input.recursive ?? false;
  const run = await runRipgrep({
    args: ['--files', '--sort=path', ...commonRipgrepFlags, '--', target.relative],
    cwd: target.root,
    signal: context.signal,
    maxLines: recursive ? maxResults + 1 : scanLimit,
  });
  if (run.exitCode === 2) return errorResult(`list_files failed: ${run.stderr.trim()}`);
  const files = run.lines.filter((line) => line !== '').map(stripDotSlash);
  const entries = recursive ? files : topLevelEntries(files, target.relative === '.' ? '' : target.relative);
  if (entries.length === 0) return successResult(`(no files in ${target.relative})`);
  const shown = entries.slice(0, maxResults);
  const more = entries.length > maxResults || (recursive && run.stoppedEarly);
  const note = more ? `\n\n[only the first ${maxResults} entries are shown; narrow the path]` : '';
  const capped = capOutput(shown.join('\n') + note);
  return successResult(capped.text, more || capped.truncated ? { truncated: true } : undefined);
}

/** The `list_files` tool. */
export const listFilesTool: Tool<ListFilesInput> = {
  name: 'list_files',
  description:
    'List files in a workspace directory (directories end with /). Honours .gitignore; includes hidden ' +
    'files except .git. Set recursive to list every file below the directory.',
  inputSchema: listFilesInput,
  readOnly: true,
  execute: listFiles,
};
