/**
 * The in-process `ToolExecutor`: validates the model's input with each tool's zod schema and turns
 * every failure (bad input, unknown tool, an exception inside a tool) into an error result, so a tool
 * problem is something the model reads and reacts to, never the end of the run.
 */
import { z } from 'zod';
import { LoomError, isLoomError } from '../errors/index.js';
import type { ToolCall, ToolDefinition } from '../llm/llm-types.js';
import { builtinTools } from './builtin-tools.js';
import { errorResult } from './tool-results.js';
import type { Tool, ToolExecutor, ToolResult } from './tool-types.js';

export interface ToolRegistryOptions {
  /** Absolute path of the workspace every path is confined to. */
  workspace: string;
  /** The tools offered. Default: `builtinTools`. */
  tools?: readonly Tool[];
}

/** The JSON Schema of a tool's input as the model sees it (what the model may send, defaults optional). */
export function toolDefinition(tool: Tool): ToolDefinition {
  const { $schema: _schema, ...inputSchema } = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as Record<
    string,
    unknown
  >;
  return { name: tool.name, description: tool.description, input_schema: inputSchema };
}

function describeException(error: unknown): string {
  // LoomErrors carry messages written for the model (path outside the workspace, cancelled, ...).
  if (isLoomError(error)) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined ? `Tool failed: ${message}` : `Tool failed (${code}): ${message}`;
}

/** Runs one tool call: look up, validate, execute; never throws. */
export async function executeTool(
  tools: ReadonlyMap<string, Tool>,
  workspace: string,
  call: ToolCall,
  options: { signal: AbortSignal; onProgress?: (text: string) => void },
): Promise<ToolResult> {
  const tool = tools.get(call.name);
  if (tool === undefined) {
    return errorResult(`Unknown tool "${call.name}". Available tools: ${[...tools.keys()].join(', ')}.`);
  }
  const parsed = tool.inputSchema.safeParse(call.arguments);
  if (!parsed.success) {
    return errorResult(`Invalid input for ${tool.name}:\n${z.prettifyError(parsed.error)}`);
  }
  if (options.signal.aborted) return errorResult(`${tool.name} was cancelled before it started.`);
  try {
    return await tool.execute(parsed.data, {
      workspace,
      signal: options.signal,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  } catch (error) {
    return errorResult(describeException(error));
  }
}

/** Builds the in-process tool executor over `tools` (default: the built-ins) for one workspace. */
export function createToolRegistry(options: ToolRegistryOptions): ToolExecutor {
  const tools = new Map<string, Tool>();
  for (const tool of options.tools ?? builtinTools) {
    if (tools.has(tool.name)) throw new LoomError('invalid_input', `Duplicate tool name: ${tool.name}`);
    tools.set(tool.name, tool);
  }
  const definitions = [...tools.values()].map(toolDefinition);
  return {
    definitions: () => definitions.map((definition) => ({ ...definition })),
    isReadOnly: (toolName) => tools.get(toolName)?.readOnly ?? false,
    execute: (call, callOptions) => executeTool(tools, options.workspace, call, callOptions),
  };
}
