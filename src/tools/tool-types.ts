/**
 * The tool port shared by the in-process registry, the weaver agent and the agent runtime.
 */
import type { z } from 'zod';
import type { ToolCall, ToolDefinition } from '../llm/llm-types.js';

export interface ToolResult {
  /** What the model sees. Capped by the tool. */
  output: string;
  isError: boolean;
  /** Facts for the run's final report; never shown to the model. */
  metadata?: {
    exitCode?: number;
    timedOut?: boolean;
    command?: string;
    filesChanged?: string[];
    truncated?: boolean;
  };
}

export interface ToolContext {
  /** Absolute path of the workspace every path is confined to. */
  workspace: string;
  signal: AbortSignal;
  onProgress?: (text: string) => void;
}

export interface Tool<Input = unknown> {
  name: string;
  description: string;
  inputSchema: z.ZodType<Input>;
  /** Read-only tools may run in parallel; mutating ones run in call order. */
  readOnly: boolean;
  execute(input: Input, context: ToolContext): Promise<ToolResult>;
}

/**
 * What the agent runtime needs to run tools: the in-process registry and a weaver (tools in a
 * sandbox, over a byte stream) both implement it. `execute` never throws for a tool failure: it
 * returns an error result the model sees.
 */
export interface ToolExecutor {
  definitions(): ToolDefinition[];
  isReadOnly(toolName: string): boolean;
  execute(
    call: ToolCall,
    options: { signal: AbortSignal; onProgress?: (text: string) => void },
  ): Promise<ToolResult>;
}
