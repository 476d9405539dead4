/**
 * `GET /api/usage` from the CLI (LOOM_SERVER_URL + LOOM_TOKEN). The answer is validated; the
 * server's errors come back as LoomErrors with its code and message.
 */
import { z } from 'zod';
import { LoomError, loomErrorCodes, type LoomErrorCode } from '../../errors/index.js';
import { usageGroupings, type UsageReportAnswer } from '../../proxy/index.js';

const counts = {
  calls: z.number(),
  failedCalls: z.number(),
  inputTokens: z.number(),
  // A server from before the cache columns does not send them.
  cacheReadTokens: z.number().default(0),
  cacheWriteTokens: z.number().default(0),
  outputTokens: z.number(),
  costUsd: z.number(),
};
const answerSchema = z.object({
  since: z.string(),
  until: z.string(),
  by: z.enum(usageGroupings),
  subject: z.string().optional(),
  rows: z.array(z.object({ key: z.string(), ...counts })),
  total: z.object(counts),
});

export interface UsageParameters {
  since?: string | undefined;
  until?: string | undefined;
  by?: string | undefined;
  subject?: string | undefined;
}

export async function fetchUsageReport(
  server: { url: string; token: string },
  parameters: UsageParameters,
): Promise<UsageReportAnswer> {
  const url = new URL('api/usage', server.url.endsWith('/') ? server.url : `${server.url}/`);
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${server.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new LoomError('dependency_unavailable', `cannot reach the Loom server at ${url.origin}`, {
      cause: error,
    });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code =
      typeof error?.code === 'string' && error.code in loomErrorCodes
        ? (error.code as LoomErrorCode)
        : 'upstream_unavailable';
    const message = typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`;
    throw new LoomError(code, `Loom server: ${message}`, { details: { status: response.status } });
  }
  const parsed = answerSchema.safeParse(body);
  if (!parsed.success) throw new LoomError('upstream_rejected', 'the Loom server sent an unexpected answer');
  return parsed.data;
}
