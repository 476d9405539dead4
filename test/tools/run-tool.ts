/** Test support: runs one tool call through a real registry, the way the agent runtime does. */
import { createToolRegistry, type ToolResult } from '../../src/tools/index.js';

export function runTool(
  workspace: string,
  name: string,
  args: Record<string, unknown>,
  options: { signal?: AbortSignal; onProgress?: (text: string) => void } = {},
): Promise<ToolResult> {
  const registry = createToolRegistry({ workspace });
  return registry.execute(
    { id: 'call-1', name, arguments: args },
    {
      signal: options.signal ?? new AbortController().signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
}
