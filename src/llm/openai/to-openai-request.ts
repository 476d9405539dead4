import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { ChatMessage, LlmRequest, ToolDefinition } from '../llm-types.js';

/**
 * Which field carries the output limit. OpenAI's reasoning models accept only
 * `max_completion_tokens`; Ollama and older vLLM releases know only `max_tokens`.
 */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/** Loom request → Chat Completions request (streaming, with the usage chunk at the end). Pure. */
export function toOpenAiRequest(
  request: LlmRequest,
  maxTokensField: MaxTokensField = 'max_completion_tokens',
): ChatCompletionCreateParamsStreaming {
  const system: ChatCompletionMessageParam[] = request.system
    ? [{ role: 'system', content: request.system }]
    : [];
  return {
    model: request.model,
    messages: [...system, ...request.messages.map(toOpenAiMessage)],
    stream: true,
    stream_options: { include_usage: true },
    ...(request.tools && request.tools.length > 0 ? { tools: request.tools.map(toOpenAiTool) } : {}),
    ...(request.max_tokens === undefined ? {} : { [maxTokensField]: request.max_tokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
  };
}

export function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      // Chat Completions has no error flag on tool results; the model reads it from the text instead.
      return {
        role: 'tool',
        tool_call_id: message.tool_call_id ?? '',
        content: message.is_error ? `Error: ${message.content}` : message.content,
      };
    case 'assistant': {
      const calls = message.tool_calls ?? [];
      if (calls.length === 0) return { role: 'assistant', content: message.content };
      return {
        role: 'assistant',
        // `null` rather than '' when the turn only calls tools, as OpenAI itself returns it.
        content: message.content === '' ? null : message.content,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function' as const,
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        })),
      };
    }
  }
}

function toOpenAiTool(tool: ToolDefinition): ChatCompletionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.input_schema },
  };
}
