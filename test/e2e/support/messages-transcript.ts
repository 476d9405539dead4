/**
 * Reading an Anthropic Messages request the way a model would: which tools were called so far, with
 * which input, and what each returned. The fake engineer decides its next step from this alone.
 */
export type RequestBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | {
      type: 'tool_result';
      tool_use_id: string;
      content: string | Array<{ type: 'text'; text: string }>;
      is_error?: boolean;
    };

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  stream?: boolean;
  system?: string | Array<{ type: 'text'; text: string }>;
  messages: Array<{ role: 'user' | 'assistant'; content: string | RequestBlock[] }>;
  tools?: Array<{ name: string; description: string; input_schema: Record<string, unknown> }>;
}

export interface ToolStep {
  name: string;
  input: Record<string, unknown>;
  /** Undefined while the result is not in the request. */
  result: { text: string; isError: boolean } | undefined;
}

function blocksOf(content: string | RequestBlock[]): RequestBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** Every tool call of the conversation with its result, oldest first. */
export function toolSteps(request: MessagesRequest): ToolStep[] {
  const steps = new Map<string, ToolStep>();
  for (const message of request.messages) {
    for (const block of blocksOf(message.content)) {
      if (block.type === 'tool_use')
        steps.set(block.id, { name: block.name, input: block.input, result: undefined });
      if (block.type === 'tool_result') {
        const step = steps.get(block.tool_use_id);
        const text =
          typeof block.content === 'string' ? block.content : block.content.map((part) => part.text).join('');
        if (step !== undefined) step.result = { text, isError: block.is_error === true };
      }
    }
  }
  return [...steps.values()];
}

/** The user's plain-text messages, oldest first. */
export function userTexts(request: MessagesRequest): string[] {
  return request.messages
    .filter((message) => message.role === 'user')
    .flatMap((message) => blocksOf(message.content))
    .flatMap((block) => (block.type === 'text' ? [block.text] : []));
}

export function systemText(request: MessagesRequest): string {
  const { system } = request;
  if (system === undefined) return '';
  return typeof system === 'string' ? system : system.map((block) => block.text).join('\n');
}
