/** `glob`: workspace files whose path matches a glob pattern (DESIGN §4). */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { capOutput } from './cap-output.js';
import { resolveWorkspacePath } from './resolve-workspace-path.js';
import { commonRipgrepFlags, runRipgrep } from './run-ripgrep.js';
import { errorResult, successResult } from './tool-results.js';
import type { Tool, ToolContext, ToolResult } from './tool-types.js';

const maxResults = 1000;

const globInput = z.object({
  pattern: z.string().min(1).describe('Glob, e.g. "**/*.test.ts" or "src/*.json".'),
  path: z.string().optional().describe('Directory the pattern is relative to. Default: the workspace.'),
});

export type GlobInput = z.infer<typeof globInput>;

async function glob(input: GlobInput, context: ToolContext): Promise<ToolResult> {
  const requested = input.path ?? '.';
  const target = await resolveWorkspacePath(context.workspace, requested);
  if (!target.exists) return errorResult(`Directory not found: ${requested}`);
  if (!(await stat(target.absolute)).isDirectory()) return errorResult(`${requested} is not a directory.`);
  // ripgrep anchors globs at its working directory, so it runs inside `path` and the results are
  // prefixed back to workspace-relative paths.
  const run = await runRipgrep({
    args: ['--files', '--sort=path', ...commonRipgrepFlags, `--glob=${input.pattern}`, '--', '.'],
    cwd: target.absolute,
    signal: context.signal,
    maxLines: maxResults + 1,
  });
  if (run.exitCode === 2) return errorResult(`glob failed: ${run.stderr.trim()}`);
  const prefix = target.relative === '.' ? '' : `${target.relative}/`;
  const files = run.lines
    .filter((line) => line !== '')
    .map((line) => prefix + (line.startsWith('./') ? line.slice(2) : line));
  if (files.length === 0) return successResult(`No files match ${input.pattern} in ${target.relative}.`);
  const more = files.length > maxResults;
  const note = more ? `\n\n[only the first ${maxResults} matches are shown; use a narrower pattern]` : '';
  const capped = capOutput(files.slice(0, maxResults).join('\n') + note);
  return successResult(capped.text, more || capped.truncated ? { truncated: true } : undefined);
}

/** The `glob` tool. */
export const globTool: Tool<GlobInput> = {
  name: 'glob',
  description:
    'Find files by glob pattern (gitignore-style: "*.ts" matches at any depth, "src/*.ts" only directly ' +
    'in src, "**" spans directories). Honours .gitignore. Returns workspace-relative paths, sorted.',
  inputSchema: globInput,
  readOnly: true,
  execute: glob,
};
