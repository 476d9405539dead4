/**
 * Runs one response's tool calls: batch after batch (see `planToolBatches`), calls of a read-only
 * batch concurrently. Each outcome is reported as it happens; the state machine puts results back
 * in call order. A tool that throws (breaking the port's contract) still yields an error result:
 * a tool failure never ends a run.
 */
import type { ToolCall } from '../../llm/llm-types.js';
import type { ToolExecutor, ToolResult } from '../../tools/tool-types.js';
import { planToolBatches } from './plan-tool-batches.js';

export interface RunToolCallsInput {
  calls: ToolCall[];
  executor: ToolExecutor;
  signal: AbortSignal;
  now: () => number;
  onStarted: (call: ToolCall, readOnly: boolean) => void;
  onProgress: (callId: string, text: string) => void;
  onCompleted: (callId: string, result: ToolResult, durationMs: number) => void;
}

export async function runToolCalls(input: RunToolCallsInput): Promise<void> {
  const batches = planToolBatches(input.calls, (name) => input.executor.isReadOnly(name));
  for (const batch of batches) {
    // A cancelled run starts nothing new; calls already running see the aborted signal.
    if (input.signal.aborted) return;
    await Promise.all(batch.calls.map((call) => runOne(call, batch.readOnly, input)));
  }
}

async function runOne(call: ToolCall, readOnly: boolean, input: RunToolCallsInput): Promise<void> {
  const started = input.now();
  input.onStarted(call, readOnly);
  let result: ToolResult;
  try {
    result = await input.executor.execute(call, {
      signal: input.signal,
      onProgress: (text) => input.onProgress(call.id, text),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { output: `Tool ${call.name} failed: ${message}`, isError: true };
  }
  input.onCompleted(call.id, result, input.now() - started);
}
