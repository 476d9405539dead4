/**
 * Pure helpers over the transcript. The invariant they keep: every tool call of an assistant message
 * is followed by exactly one tool message with its id, so a transcript can always be sent back to a
 * model or resumed.
 */
import type { ChatMessage, ToolCall } from '../../llm/llm-types.js';
import type { ToolResult } from '../../tools/tool-types.js';

export function userMessages(texts: string[]): ChatMessage[] {
  return texts.map((content) => ({ role: 'user', content }));
}

export function toolMessage(call: ToolCall, result: ToolResult): ChatMessage {
  return {
    role: 'tool',
    content: result.output,
    tool_call_id: call.id,
    ...(result.isError ? { is_error: true } : {}),
  };
}

/** An error result standing in for a call that never ran or never finished. */
export function notRunResult(why: string): ToolResult {
  return { output: `Tool call not completed: ${why}.`, isError: true };
}

/**
 * Tool calls of the last assistant message that have no result after it: left by a run that stopped
 * (or a process that died) between the model's response and the tools' results.
 */
export function danglingToolCalls(messages: readonly ChatMessage[]): ToolCall[] {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role !== 'assistant') continue;
    const answered = new Set(
      messages.slice(index + 1).flatMap((later) => (later.role === 'tool' ? [later.tool_call_id] : [])),
    );
    return (message.tool_calls ?? []).filter((call) => !answered.has(call.id));
  }
  return [];
}

/** Appends an error result for every dangling call, so the transcript stays well-formed. */
export function closeDanglingToolCalls(messages: ChatMessage[], why: string): ChatMessage[] {
  const dangling = danglingToolCalls(messages);
  if (dangling.length === 0) return messages;
  return [...messages, ...dangling.map((call) => toolMessage(call, notRunResult(why)))];
}

/** The latest non-empty assistant text: the answer of a finished run, the best partial of a stopped one. */
export function latestAssistantText(messages: readonly ChatMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role === 'assistant' && message.content.length > 0) return message.content;
  }
  return '';
}
