import type {
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  Tool,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, LlmRequest, ToolDefinition } from '../llm-types.js';

/** Anthropic requires `max_tokens`; Loom requests may leave it out. */
export const defaultAnthropicMaxTokens = 8192;

/**
 * Loom request → Anthropic Messages request (streaming). Pure. Anthropic wants tool results inside a
 * user turn, right after the assistant turn that asked for them, so consecutive `tool` messages (and
 * a user message that directly follows them, such as a steering note) become ONE user message whose
 * tool_result blocks come first.
 */
export function toAnthropicRequest(
  request: LlmRequest,
  defaultMaxTokens: number = defaultAnthropicMaxTokens,
): MessageCreateParamsStreaming {
  return {
    model: request.model,
    max_tokens: request.max_tokens ?? defaultMaxTokens,
    messages: toAnthropicMessages(request.messages),
    stream: true,
    ...(request.system ? { system: request.system } : {}),
    ...(request.tools && request.tools.length > 0 ? { tools: request.tools.map(toAnthropicTool) } : {}),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
  };
}

export function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const result: MessageParam[] = [];
  for (const message of messages) {
    const previous = result.at(-1);
    if (message.role === 'assistant') {
      result.push({ role: 'assistant', content: toAssistantContent(message) });
      continue;
    }
    if (previous?.role === 'user' && Array.isArray(previous.content) && hasToolResult(previous.content)) {
      addToToolResultTurn(previous.content, message);
    } else if (message.role === 'tool') {
      result.push({ role: 'user', content: [toToolResult(message)] });
    } else {
      result.push({ role: 'user', content: message.content });
    }
  }
  return result;
}

function toAssistantContent(message: ChatMessage): string | ContentBlockParam[] {
  const calls = message.tool_calls ?? [];
  if (calls.length === 0) return message.content;
  // Anthropic rejects empty text blocks, so a silent tool-calling turn carries only tool_use blocks.
  const text: ContentBlockParam[] = message.content ? [{ type: 'text', text: message.content }] : [];
  return [
    ...text,
    ...calls.map((call): ContentBlockParam => ({
      type: 'tool_use',
      id: call.id,
      name: call.name,
      input: call.arguments,
    })),
  ];
}

function toToolResult(message: ChatMessage): ToolResultBlockParam {
  return {
    type: 'tool_result',
    tool_use_id: message.tool_call_id ?? '',
    content: message.content,
    ...(message.is_error ? { is_error: true } : {}),
  };
}

function hasToolResult(content: ContentBlockParam[]): boolean {
  return content.some((block) => block.type === 'tool_result');
}

/** Anthropic wants every tool_result block before any text in the same user turn. */
function addToToolResultTurn(content: ContentBlockParam[], message: ChatMessage): void {
  if (message.role !== 'tool') {
    content.push({ type: 'text', text: message.content });
    return;
  }
  const firstText = content.findIndex((block) => block.type !== 'tool_result');
  content.splice(firstText === -1 ? content.length : firstText, 0, toToolResult(message));
}

function toAnthropicTool(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: { type: 'object', ...tool.input_schema } as Tool.InputSchema,
  };
}
