/** The tools every Loom agent has (DESIGN §4), in the order the model sees them. */
import { createBashTool, type BashToolOptions } from './bash-tool.js';
import { editFileTool } from './edit-file-tool.js';
import { globTool } from './glob-tool.js';
import { grepTool } from './grep-tool.js';
import { listFilesTool } from './list-files-tool.js';
import { readFileTool } from './read-file-tool.js';
import type { Tool } from './tool-types.js';
import { writeFileTool } from './write-file-tool.js';

export interface BuiltinToolsOptions {
  /** Options of the `bash` tool, notably its complete environment. */
  bash?: BashToolOptions;
}

/** The built-in tools; `bash` gets the given options (its environment, output cap). */
export function createBuiltinTools(options: BuiltinToolsOptions = {}): Tool[] {
  return [
    readFileTool,
    listFilesTool,
    globTool,
    grepTool,
    editFileTool,
    writeFileTool,
    createBashTool(options.bash),
  ] as Tool[];
}

/** The built-in tools with defaults (`bash` runs with `defaultToolEnvironment()`). */
export const builtinTools: readonly Tool[] = createBuiltinTools();
