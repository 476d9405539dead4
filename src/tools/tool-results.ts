/** The two shapes a tool returns. Errors are results the model reads, not exceptions. */
import type { ToolResult } from './tool-types.js';

/** A successful result. */
export function successResult(output: string, metadata?: ToolResult['metadata']): ToolResult {
  return metadata === undefined ? { output, isError: false } : { output, isError: false, metadata };
}

/** An error the model sees as one (wrong input, missing file, path outside the workspace, ...). */
export function errorResult(output: string, metadata?: ToolResult['metadata']): ToolResult {
  return metadata === undefined ? { output, isError: true } : { output, isError: true, metadata };
}
