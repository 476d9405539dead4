/**
 * One `call_tool` request inside the agent: runs the tool with a per-call timeout. When the timeout
 * (or a cancel) fires, the tool is aborted and gets a short grace period to answer with what it has;
 * either way the caller receives a result, never a hang.
 */
import { errorResult } from '../tools/tool-results.js';
import type { ToolExecutor, ToolResult } from '../tools/tool-types.js';

/** How long an aborted tool may take to wind down before the agent answers without it. */
export const abortGraceMs = 2000;

export interface ToolCallParams {
  name: string;
  input: Record<string, unknown>;
  timeout_ms?: number | undefined;
}

function afterAbort(signal: AbortSignal, graceMs: number): Promise<undefined> {
  return new Promise((resolve) => {
    const start = (): void => {
      setTimeout(() => resolve(undefined), graceMs).unref();
    };
    if (signal.aborted) start();
    else signal.addEventListener('abort', start, { once: true });
  });
}

/** Runs the call; `controller` is the call's cancel switch (the `cancel` request aborts it). */
export async function runToolCall(
  registry: ToolExecutor,
  params: ToolCallParams,
  controller: AbortController,
  onProgress: (text: string) => void,
): Promise<ToolResult> {
  let timedOut = false;
  const timer =
    params.timeout_ms === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, params.timeout_ms);
  try {
    const execution = registry.execute(
      { id: 'weaver', name: params.name, arguments: params.input },
      { signal: controller.signal, onProgress },
    );
    const result = await Promise.race([execution, afterAbort(controller.signal, abortGraceMs)]);
    if (timedOut) {
      const partial = result === undefined ? '' : `\n${result.output}`;
      return errorResult(
        `${params.name} timed out after ${params.timeout_ms} ms and was stopped.${partial}`,
        {
          ...result?.metadata,
          timedOut: true,
        },
      );
    }
    return result ?? errorResult(`${params.name} was cancelled.`);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
