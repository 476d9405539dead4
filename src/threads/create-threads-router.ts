/**
 * The threads API, mounted at `/api/threads`: list, search, read, soft-delete, and `PUT` with
 * optimistic concurrency (what REPL sync uses). Every route needs a bearer token.
 */
import express, { Router, type Request, type Response } from 'express';
import { principalOf, requireBearer } from './bearer-authentication.js';
import { LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { isThreadId } from './new-thread-id.js';
import { parseVersionPrecondition, versionTag } from './parse-version-precondition.js';
import { threadContentSchema, threadQuerySchema } from './thread-schemas.js';
import type { Thread, ThreadRepository } from './thread-types.js';
import { canAccessThread, scopeFilters, type AuthenticateBearer } from './threads-principal.js';

export interface ThreadsRouterDeps {
  threads: ThreadRepository;
  authenticate: AuthenticateBearer;
  logger: Logger;
  /** Largest `PUT` body (express size string), 20mb by default. */
  maxBodySize?: string;
}

export function createThreadsRouter(deps: ThreadsRouterDeps): Router {
  const router = Router();
  router.use(requireBearer(deps.authenticate));

  router.get('/', async (req, res) => {
    const query = parseQuery(req);
    const page = await deps.threads.list(scopeFilters(principalOf(res), query.filters), query.page);
    res.json(page);
  });

  router.get('/search', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    if (q === '') throw new LoomError('invalid_input', 'search needs a non-empty q');
    if (q.length > 500) throw new LoomError('invalid_input', 'q is longer than 500 characters');
    const query = parseQuery(req);
    res.json(await deps.threads.search(q, scopeFilters(principalOf(res), query.filters), query.page));
  });

  router.get('/:id', async (req, res) => {
    const thread = await readableThread(deps, res, idOf(req));
    res.setHeader('ETag', versionTag(thread.version)).json({ thread });
  });

  router.delete('/:id', async (req, res) => {
    const thread = await readableThread(deps, res, idOf(req));
    await deps.threads.softDelete(thread.id);
    deps.logger.info({ threadId: thread.id, by: principalOf(res).subject }, 'thread deleted');
    res.status(204).end();
  });

  router.put('/:id', express.json({ limit: deps.maxBodySize ?? '20mb' }), async (req, res) => {
    const id = idOf(req);
    const principal = principalOf(res);
    const precondition = parseVersionPrecondition(req.get('if-match'), req.get('if-none-match'));
    const parsed = threadContentSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new LoomError('invalid_input', 'invalid thread', {
        details: {
          problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
        },
      });
    }
    if (parsed.data.visibility === 'private') {
      throw new LoomError('invalid_input', 'private threads stay on the machine they were created on');
    }
    const writeOptions = { writeId: req.get('idempotency-key') };
    // A user token always writes as its subject; an admin may name the owner, else keeps it.
    const ownerFor = (existing: string | undefined) =>
      principal.role === 'admin' ? (parsed.data.owner ?? existing ?? principal.subject) : principal.subject;
    let thread: Thread;
    if (precondition.kind === 'create') {
      const content = { ...parsed.data, owner: ownerFor(undefined) };
      thread = await deps.threads.replace(id, undefined, content, writeOptions);
    } else {
      const existing = await readableThread(deps, res, id);
      const content = { ...parsed.data, owner: ownerFor(existing.owner) };
      thread = await deps.threads.replace(id, precondition.version, content, writeOptions);
    }
    res
      .status(precondition.kind === 'create' ? 201 : 200)
      .setHeader('ETag', versionTag(thread.version))
      .json({ thread });
  });
  return router;
}

function idOf(req: Request): string {
  const id = String(req.params.id);
  if (!isThreadId(id)) throw new LoomError('invalid_input', 'not a thread id (T-<uuidv7>)');
  return id;
}

/** A thread the caller may see; someone else's thread is "not found", so ids do not leak. */
async function readableThread(deps: ThreadsRouterDeps, res: Response, id: string): Promise<Thread> {
  const thread = await deps.threads.get(id);
  if (thread === undefined || !canAccessThread(principalOf(res), thread)) {
    throw new LoomError('not_found', `no thread ${id}`);
  }
  return thread;
}

function parseQuery(req: Request) {
  const parsed = threadQuerySchema.safeParse(req.query);
  if (!parsed.success) {
    throw new LoomError('invalid_input', 'invalid query', {
      details: { problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) },
    });
  }
  const { limit, cursor, ...filters } = parsed.data;
  return { filters, page: { limit, cursor } };
}
