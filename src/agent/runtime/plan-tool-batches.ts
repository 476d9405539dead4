/**
 * Splits one response's tool calls into batches run one after another: consecutive read-only calls
 * share a batch (they run together), every mutating call is a batch of its own. A read after a write
 * therefore sees the write, and writes happen in exactly the order the model asked for.
 */
import type { ToolCall } from '../../llm/llm-types.js';

export interface ToolBatch {
  readOnly: boolean;
  calls: ToolCall[];
}

export function planToolBatches(calls: ToolCall[], isReadOnly: (toolName: string) => boolean): ToolBatch[] {
  const batches: ToolBatch[] = [];
  for (const call of calls) {
    const readOnly = isReadOnly(call.name);
    const last = batches.at(-1);
    if (readOnly && last?.readOnly) last.calls.push(call);
    else batches.push({ readOnly, calls: [call] });
  }
  return batches;
}
