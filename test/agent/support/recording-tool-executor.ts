/**
 * A small real `ToolExecutor` for runtime tests: tools are plain async functions, and every call's
 * start and end times are recorded so tests can prove what ran in parallel and what ran in order.
 */
import type { ToolCall, ToolDefinition } from '../../../src/llm/llm-types.js';
import type { ToolExecutor, ToolResult } from '../../../src/tools/tool-types.js';

export interface TestTool {
  readOnly: boolean;
  run(
    args: Record<string, unknown>,
    options: { signal: AbortSignal; onProgress?: (text: string) => void },
  ): Promise<ToolResult>;
}

export interface CallRecord {
  id: string;
  name: string;
  startedAt: number;
  endedAt?: number;
  sawAbort: boolean;
}

export interface RecordingToolExecutor extends ToolExecutor {
  readonly calls: CallRecord[];
}

export function createRecordingToolExecutor(tools: Record<string, TestTool>): RecordingToolExecutor {
  const calls: CallRecord[] = [];
  return {
    calls,
    definitions(): ToolDefinition[] {
      return Object.keys(tools).map((name) => ({
        name,
        description: `test tool ${name}`,
        input_schema: { type: 'object' },
      }));
    },
    isReadOnly(name: string): boolean {
      return tools[name]?.readOnly ?? false;
    },
    async execute(call: ToolCall, options): Promise<ToolResult> {
      const record: CallRecord = {
        id: call.id,
        name: call.name,
        startedAt: performance.now(),
        sawAbort: false,
      };
      calls.push(record);
      options.signal.addEventListener('abort', () => (record.sawAbort = true), { once: true });
      const tool = tools[call.name];
      try {
        if (!tool) return { output: `unknown tool ${call.name}`, isError: true };
        return await tool.run(call.arguments, options);
      } finally {
        record.endedAt = performance.now();
      }
    },
  };
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** A read-only tool answering `read <path>` after `delayMs`. */
export function slowReader(delayMs: number): TestTool {
  return {
    readOnly: true,
    async run(args, { signal }) {
      await wait(delayMs, signal);
      return { output: `read ${String(args.path)}`, isError: false };
    },
  };
}

/** A mutating tool that "writes" `path` after `delayMs` and reports it as changed. */
export function slowWriter(delayMs: number): TestTool {
  return {
    readOnly: false,
    async run(args, { signal }) {
      await wait(delayMs, signal);
      const path = String(args.path);
      return { output: `wrote ${path}`, isError: false, metadata: { filesChanged: [path] } };
    },
  };
}

/** A tool that only ends when aborted. */
export const hangingTool: TestTool = {
  readOnly: false,
  async run(_args, { signal }) {
    await wait(60_000, signal);
    return { output: 'interrupted', isError: true };
  },
};

/** Records backoff waits instead of waiting. */
export function recordingSleep(): {
  delays: number[];
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
} {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
    },
  };
}
