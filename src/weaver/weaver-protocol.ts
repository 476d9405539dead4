/**
 * The weaver protocol: newline-delimited JSON over a byte stream (a child's stdio, or an exec stream
 * into a pod). The worker sends requests `{id, method, params}`; the agent answers each with
 * `{id, result}` or `{id, error}` and may send `{method: "progress", params}` notifications while a
 * call runs. One line, one message; nothing else is ever written to the agent's stdout.
 */
import { z } from 'zod';

export const weaverProtocolVersion = 1;

const requestId = z.number().int().nonnegative();

export const weaverRequestSchema = z.discriminatedUnion('method', [
  z.object({ id: requestId, method: z.literal('hello'), params: z.object({}).optional() }),
  z.object({
    id: requestId,
    method: z.literal('call_tool'),
    params: z.object({
      name: z.string().min(1),
      input: z.record(z.string(), z.unknown()),
      /** The agent aborts the tool after this long and answers with a timed-out error result. */
      timeout_ms: z.number().int().positive().optional(),
    }),
  }),
  z.object({ id: requestId, method: z.literal('cancel'), params: z.object({ request_id: requestId }) }),
  z.object({
    id: requestId,
    method: z.literal('import_bundle'),
    params: z.object({ bundle: z.base64() }),
  }),
  z.object({
    id: requestId,
    method: z.literal('export_bundle'),
    params: z.object({ base_ref: z.string().min(1) }),
  }),
  z.object({ id: requestId, method: z.literal('shutdown'), params: z.object({}).optional() }),
]);

export type WeaverRequest = z.infer<typeof weaverRequestSchema>;
export type WeaverMethod = WeaverRequest['method'];

export const weaverErrorSchema = z.object({ code: z.string(), message: z.string() });

export const weaverResponseSchema = z.union([
  z.object({ id: requestId, result: z.unknown() }),
  z.object({ id: requestId, error: weaverErrorSchema }),
]);

export const weaverProgressSchema = z.object({
  method: z.literal('progress'),
  params: z.object({ request_id: requestId, text: z.string() }),
});

/** Anything the agent writes: a response or a progress notification. */
export const weaverAgentMessageSchema = z.union([weaverResponseSchema, weaverProgressSchema]);
export type WeaverAgentMessage = z.infer<typeof weaverAgentMessageSchema>;

export const helloResultSchema = z.object({
  protocol_version: z.number().int(),
  workspace: z.string(),
  tools: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      input_schema: z.record(z.string(), z.unknown()),
      read_only: z.boolean(),
    }),
  ),
});
export type HelloResult = z.infer<typeof helloResultSchema>;

export const toolResultSchema = z.object({
  output: z.string(),
  isError: z.boolean(),
  metadata: z
    .object({
      exitCode: z.number().optional(),
      timedOut: z.boolean().optional(),
      command: z.string().optional(),
      filesChanged: z.array(z.string()).optional(),
      truncated: z.boolean().optional(),
    })
    .optional(),
});

export const importBundleResultSchema = z.object({ head: z.string() });
export const exportBundleResultSchema = z.object({ bundle: z.base64().nullable() });

/** One protocol line (JSON plus `\n`). */
export function encodeWeaverMessage(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}
