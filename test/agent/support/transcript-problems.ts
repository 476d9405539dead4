/**
 * Lists what is wrong with a transcript: a tool call without exactly one result, a result without a
 * call, a call whose arguments are not a complete object. Empty means well-formed.
 */
import type { ChatMessage } from '../../../src/llm/llm-types.js';

export function transcriptProblems(messages: ChatMessage[]): string[] {
  const problems: string[] = [];
  const open = new Map<string, number>();
  for (const message of messages) {
    if (message.role === 'assistant') {
      for (const [id, count] of open) if (count !== 1) problems.push(`call ${id} has ${count} results`);
      open.clear();
      for (const call of message.tool_calls ?? []) {
        if (typeof call.arguments !== 'object' || call.arguments === null)
          problems.push(`call ${call.id} has bad arguments`);
        open.set(call.id, 0);
      }
    }
    if (message.role === 'tool') {
      const id = message.tool_call_id ?? '';
      if (!open.has(id)) problems.push(`result ${id} has no call`);
      else open.set(id, (open.get(id) ?? 0) + 1);
    }
  }
  for (const [id, count] of open) if (count !== 1) problems.push(`call ${id} has ${count} results`);
  return problems;
}
