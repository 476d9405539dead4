/** Validation of the normalized request body of `/proxy/{provider}/complete` and `/stream`. */
import { z } from 'zod';

const toolCall = z.object({
  id: z.string(),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});

const chatMessage = z.object({
  role: z.enum(['user', 'assistant', 'tool']),
  content: z.string(),
  tool_calls: z.array(toolCall).optional(),
  tool_call_id: z.string().optional(),
  is_error: z.boolean().optional(),
});

const toolDefinition = z.object({
  name: z.string().min(1),
  description: z.string(),
  input_schema: z.record(z.string(), z.unknown()),
});

export const llmRequestSchema = z.object({
  /** A model name, `provider/model`, or `default` (the server's choice). */
  model: z.string().min(1).default('default'),
  system: z.string().optional(),
  messages: z.array(chatMessage).min(1),
  tools: z.array(toolDefinition).optional(),
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
});
