/** `grep`: regular-expression search over workspace files with ripgrep (DESIGN §4). */
import { z } from 'zod';
import { capOutput } from './cap-output.js';
import { resolveWorkspacePath } from './resolve-workspace-path.js';
import { commonRipgrepFlags, runRipgrep } from './run-ripgrep.js';
import { errorResult, successResult } from './tool-results.js';
import type { Tool, ToolContext, ToolResult } from './tool-types.js';

const defaultMaxResults = 100;
/** Long lines (minified files) are cut by ripgrep itself, with a preview. */
const maxColumns = 500;

const grepInput = z.object({
  pattern: z.string().min(1).describe('Regular expression (Rust regex syntax, like ripgrep).'),
  path: z.string().optional().describe('File or directory to search. Default: the workspace.'),
  include: z.string().optional().describe('Only search files matching this glob, e.g. "*.ts".'),
  ignore_case: z.boolean().optional().describe('Case-insensitive search. Default false.'),
  max_results: z
    .number()
    .int()
    .min(1)
    .max(2000)
    .optional()
    .describe(`Maximum matching lines returned. Default ${defaultMaxResults}.`),
});

export type GrepInput = z.infer<typeof grepInput>;

async function grep(input: GrepInput, context: ToolContext): Promise<ToolResult> {
  const requested = input.path ?? '.';
  const target = await resolveWorkspacePath(context.workspace, requested);
  if (!target.exists) return errorResult(`Path not found: ${requested}`);
  const maxResults = input.max_results ?? defaultMaxResults;
  const args = [
    '--line-number',
    '--no-heading',
    '--with-filename',
    '--color=never',
    '--sort=path',
    `--max-columns=${maxColumns}`,
    '--max-columns-preview',
    ...commonRipgrepFlags,
    ...(input.ignore_case ? ['--ignore-case'] : ['--case-sensitive']),
    ...(input.include === undefined ? [] : [`--glob=${input.include}`]),
    `--regexp=${input.pattern}`,
    '--',
    target.relative,
  ];
  const run = await runRipgrep({ args, cwd: target.root, signal: context.signal, maxLines: maxResults + 1 });
  if (run.exitCode === 2) return errorResult(`grep failed: ${run.stderr.trim()}`);
  const matches = run.lines
    .filter((line) => line !== '')
    .map((line) => (line.startsWith('./') ? line.slice(2) : line));
  if (matches.length === 0) return successResult(`No matches for ${input.pattern} in ${target.relative}.`);
  const more = matches.length > maxResults;
  const note = more ? `\n\n[only the first ${maxResults} matches are shown; narrow the search]` : '';
  const capped = capOutput(matches.slice(0, maxResults).join('\n') + note);
  return successResult(capped.text, more || capped.truncated ? { truncated: true } : undefined);
}

/** The `grep` tool. */
export const grepTool: Tool<GrepInput> = {
  name: 'grep',
  description:
    'Search file contents with a regular expression (ripgrep). Returns "path:line:text" lines. Honours ' +
    '.gitignore; include filters files by glob.',
  inputSchema: grepInput,
  readOnly: true,
  execute: grep,
};
