/**
 * The threads API from the outside: what `loom threads` uses against a server (LOOM_SERVER_URL +
 * LOOM_TOKEN) and what sync pushes with. Answers are validated; errors come back as LoomErrors with
 * the server's code, retryable for 429/5xx and network failures.
 */
import { z } from 'zod';
import { LoomError, loomErrorCodes, type LoomErrorCode } from '../errors/index.js';
import type { VersionPrecondition } from './parse-version-precondition.js';
import { versionTag } from './parse-version-precondition.js';
import { threadPageSchema, threadSchema, threadSearchPageSchema } from './thread-schemas.js';
import type {
  PageRequest,
  Thread,
  ThreadContent,
  ThreadFilters,
  ThreadPage,
  ThreadSearchPage,
} from './thread-types.js';

const threadAnswerSchema = z.object({ thread: threadSchema });

export interface ThreadsClientOptions {
  /** The server's base URL, e.g. `https://loom.example.com`. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export interface ThreadsClient {
  list(filters?: ThreadFilters, page?: PageRequest): Promise<ThreadPage>;
  search(query: string, filters?: ThreadFilters, page?: PageRequest): Promise<ThreadSearchPage>;
  /** Undefined when the thread does not exist (or is not the caller's). */
  get(id: string): Promise<Thread | undefined>;
  /** `conflict` when the server's version differs from the precondition's. */
  put(
    id: string,
    content: ThreadContent,
    precondition: VersionPrecondition,
    options?: { idempotencyKey?: string },
  ): Promise<Thread>;
  delete(id: string): Promise<void>;
}

export function createThreadsClient(options: ThreadsClientOptions): ThreadsClient {
  const doFetch = options.fetch ?? fetch;
  const base = new URL(
    'api/threads',
    options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
  );

  async function call(path: string, init: RequestInit & { query?: Record<string, unknown> } = {}) {
    const url = new URL(`${base.pathname}${path}`, base);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        ...init,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...init.headers },
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new LoomError('dependency_unavailable', `cannot reach the Loom server at ${url.origin}`, {
        cause: error,
      });
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async function json<T>(response: Response, schema: z.ZodType<T>): Promise<T> {
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new LoomError('upstream_rejected', 'the Loom server sent an unexpected answer');
    return parsed.data;
  }

  return {
    async list(filters = {}, page = {}) {
      const answer = await json(await call('', { query: { ...filters, ...page } }), threadPageSchema);
      return { threads: answer.threads.map(withRepository), nextCursor: answer.nextCursor };
    },
    async search(query, filters = {}, page = {}) {
      const answer = await json(
        await call('/search', { query: { q: query, ...filters, ...page } }),
        threadSearchPageSchema,
      );
      return {
        hits: answer.hits.map((hit) => ({
          ...hit,
          thread: withRepository(hit.thread),
          messageSeq: hit.messageSeq,
        })),
        nextCursor: answer.nextCursor,
      };
    },
    async get(id) {
      try {
        return toThread((await json(await call(`/${encodeURIComponent(id)}`), threadAnswerSchema)).thread);
      } catch (error) {
        if (error instanceof LoomError && error.code === 'not_found') return undefined;
        throw error;
      }
    },
    async put(id, content, precondition, putOptions = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (precondition.kind === 'create') headers['if-none-match'] = '*';
      else headers['if-match'] = versionTag(precondition.version);
      if (putOptions.idempotencyKey !== undefined) headers['idempotency-key'] = putOptions.idempotencyKey;
      const response = await call(`/${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify(content),
      });
      return toThread((await json(response, threadAnswerSchema)).thread);
    },
    async delete(id) {
      await call(`/${encodeURIComponent(id)}`, { method: 'DELETE' });
    },
  };
}

function withRepository<T extends { repository?: string | undefined }>(
  summary: T,
): T & { repository: string | undefined } {
  return { ...summary, repository: summary.repository };
}

function toThread(parsed: z.output<typeof threadSchema>): Thread {
  return withRepository(parsed) as Thread;
}

/** The server's `{ error: { code, message } }`, or a code from the HTTP status. */
async function errorOf(response: Response): Promise<LoomError> {
  const body = (await response.json().catch(() => undefined)) as
    { error?: { code?: unknown; message?: unknown } } | undefined;
  const code =
    typeof body?.error?.code === 'string' && body.error.code in loomErrorCodes
      ? (body.error.code as LoomErrorCode)
      : codeOf(response.status);
  const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${response.status}`;
  const retryable = response.status === 429 || response.status >= 500;
  return new LoomError(code, `Loom server: ${message}`, { details: { status: response.status }, retryable });
}

function codeOf(status: number): LoomErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'upstream_unavailable';
  return 'invalid_input';
}
