/** `read_file`: numbered lines of a text file in the workspace (DESIGN §4). */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { resolveWorkspacePath } from './resolve-workspace-path.js';
import { errorResult, successResult } from './tool-results.js';
import type { Tool, ToolResult } from './tool-types.js';

/** The contract's cap on what one read returns: 1 MiB of numbered lines. */
export const readFileCapBytes = 1024 * 1024;
/** Lines returned when the model gives no `limit`. */
export const readFileDefaultLimit = 2000;

const readFileInput = z.object({
  path: z.string().min(1).describe('File path, relative to the workspace.'),
  offset: z.number().int().min(1).optional().describe('First line to return (1-based). Default 1.'),
  limit: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`Number of lines to return. Default ${readFileDefaultLimit}.`),
});

export type ReadFileInput = z.infer<typeof readFileInput>;

async function looksBinary(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

interface NumberedLines {
  text: string;
  lastLine: number;
  moreFollow: boolean;
  cappedBySize: boolean;
}

async function readNumberedLines(file: string, first: number, limit: number): Promise<NumberedLines> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const out: string[] = [];
  let bytes = 0;
  let lineNumber = 0;
  let lastLine = first - 1;
  let moreFollow = false;
  let cappedBySize = false;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (lineNumber < first) continue;
      if (lineNumber >= first + limit) {
        moreFollow = true;
        break;
      }
      const numbered = `${String(lineNumber).padStart(6)}\t${line}`;
      const size = Buffer.byteLength(numbered) + 1;
      if (bytes + size > readFileCapBytes) {
        moreFollow = true;
        cappedBySize = true;
        break;
      }
      out.push(numbered);
      bytes += size;
      lastLine = lineNumber;
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return { text: out.join('\n'), lastLine, moreFollow, cappedBySize };
}

async function readFile(input: ReadFileInput, workspace: string): Promise<ToolResult> {
  const target = await resolveWorkspacePath(workspace, input.path);
  if (!target.exists) return errorResult(`File not found: ${input.path}`);
  const stats = await stat(target.absolute);
  if (stats.isDirectory()) return errorResult(`${input.path} is a directory; use list_files to see it.`);
  if (!stats.isFile()) return errorResult(`${input.path} is not a regular file.`);
  if (stats.size === 0) return successResult(`(${target.relative} is empty)`);
  if (await looksBinary(target.absolute)) {
    return errorResult(`${input.path} looks like a binary file (${stats.size} bytes); it is not shown.`);
  }
  const first = input.offset ?? 1;
  const read = await readNumberedLines(target.absolute, first, input.limit ?? readFileDefaultLimit);
  if (read.text === '' && !read.cappedBySize) {
    return errorResult(`${input.path} has fewer than ${first} lines; offset ${first} is past the end.`);
  }
  if (read.text === '') {
    return errorResult(`Line ${first} of ${input.path} alone exceeds the 1 MiB read cap.`);
  }
  if (!read.moreFollow) return successResult(read.text);
  const reason = read.cappedBySize ? 'the 1 MiB read cap was reached' : 'the line limit was reached';
  return successResult(
    `${read.text}\n\n[${reason}; the file continues: read on with offset=${read.lastLine + 1}]`,
    { truncated: true },
  );
}

/** The `read_file` tool. */
export const readFileTool: Tool<ReadFileInput> = {
  name: 'read_file',
  description:
    'Read a text file from the workspace. Returns numbered lines (like `cat -n`). Use offset and limit ' +
    `to page through long files; at most ${readFileDefaultLimit} lines and 1 MiB per call by default.`,
  inputSchema: readFileInput,
  readOnly: true,
  execute: (input, context) => readFile(input, context.workspace),
};
