/**
 * `POST /api/github/webhooks`: the HTTP side of the GitHub ingress, in front of the Probot app.
 *
 * Probot's own middleware is not used because it reads bodies without a size or time cap, accepts
 * a single secret (no rotation), and answers every handler error with 500 (or 202 after 9 s). This
 * router does the same checks in the same order, with those three fixed: cheap header checks, the
 * body read under caps, the signature verified over the exact bytes before anything is parsed, then
 * `probot.receive` (which runs the app's handlers without verifying again).
 */
import { Router, type Request, type Response } from 'express';
import { LoomError, isLoomError } from '../../../src/errors/index.js';
import type { Logger } from '../../../src/logging/index.js';
import { maxDeliveryIdLength } from '../../../queue/index.js';
import type { DeliveryOutcome, DeliveryOutcomes } from './delivery-outcomes.js';
import { defaultBodyLimits, readRawBody, type BodyLimits } from './read-raw-body.js';
import { verifyWebhookSignature } from './verify-webhook-signature.js';

export interface GithubWebhookRouterOptions {
  /** Runs the app's handlers for a verified event (`probot.receive`). */
  receive: (event: { id: string; name: string; payload: object }) => Promise<void>;
  /** Current secret first, then secrets still accepted during a rotation. */
  secrets: readonly string[];
  outcomes: DeliveryOutcomes;
  logger: Logger;
  bodyLimits?: Partial<BodyLimits>;
}

const jsonContentType = /^\s*application\/json\s*(?:;|$)/i;

/** The first LoomError among the (possibly aggregated) errors of the handlers, else `internal`. */
function handlerError(error: unknown): LoomError {
  if (isLoomError(error)) return error;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = handlerError(inner);
      if (found.code !== 'internal') return found;
    }
  }
  return new LoomError('internal', 'Internal server error', { cause: error });
}

function reject(res: Response, error: LoomError, status = error.httpStatus): void {
  res.status(status).json(error.toJSON());
}

/** Checks what can be checked before reading a byte of the body: the status and error to answer. */
function checkHeaders(req: Request): { status: number; error: LoomError } | undefined {
  if (!jsonContentType.test(req.get('content-type') ?? '')) {
    return { status: 415, error: new LoomError('invalid_input', 'Content-Type must be application/json') };
  }
  const missing = ['x-github-event', 'x-github-delivery', 'x-hub-signature-256'].filter(
    (name) => !req.get(name),
  );
  if (missing.length > 0) {
    const unsigned = missing.length === 1 && missing[0] === 'x-hub-signature-256';
    const error = new LoomError(
      unsigned ? 'unauthorized' : 'invalid_input',
      `missing header(s): ${missing.join(', ')}`,
    );
    return { status: error.httpStatus, error };
  }
  const delivery = req.get('x-github-delivery') ?? '';
  if (delivery.trim() === '' || delivery.length > maxDeliveryIdLength) {
    return { status: 400, error: new LoomError('invalid_input', 'X-GitHub-Delivery is not a delivery id') };
  }
  return undefined;
}

/** Answers a body that broke a cap, then drops the connection instead of reading the rest. */
function rejectBody(req: Request, res: Response, error: LoomError): void {
  res.setHeader('Connection', 'close');
  // A short grace lets the answer reach the client before the socket goes.
  res.once('finish', () => setTimeout(() => req.destroy(), 50).unref());
  reject(res, error, error.code === 'timeout' ? 408 : error.httpStatus);
}

function answer(res: Response, outcome: DeliveryOutcome): void {
  res.status(outcome.status === 'enqueued' ? 202 : 200).json(outcome);
}

export function createGithubWebhookRouter(options: GithubWebhookRouterOptions): Router {
  const limits: BodyLimits = { ...defaultBodyLimits, ...options.bodyLimits };
  const router = Router();
  router.post('/', async (req, res) => {
    const headerProblem = checkHeaders(req);
    if (headerProblem !== undefined) return reject(res, headerProblem.error, headerProblem.status);
    let body: Buffer;
    try {
      body = await readRawBody(req, limits);
    } catch (error) {
      return rejectBody(req, res, handlerError(error));
    }
    const id = req.get('x-github-delivery') ?? '';
    const name = req.get('x-github-event') ?? '';
    const text = body.toString('utf8');
    if (!(await verifyWebhookSignature(options.secrets, text, req.get('x-hub-signature-256')))) {
      options.logger.warn({ deliveryId: id, event: name }, 'GitHub webhook with an invalid signature');
      return reject(res, new LoomError('unauthorized', 'signature does not match the payload'));
    }
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return reject(res, new LoomError('invalid_input', 'the payload is not a JSON object'));
    }
    try {
      await options.receive({ id, name, payload });
    } catch (error) {
      const failure = handlerError(error);
      // Server-side failures (Redis, store, GitHub, a bad private key) are logged with their cause.
      const err = failure.httpStatus >= 500 ? error : undefined;
      options.logger.warn(
        { deliveryId: id, event: name, code: failure.code, err },
        'GitHub webhook not accepted',
      );
      return reject(res, failure);
    }
    const outcome = options.outcomes.take(payload) ?? { status: 'ignored', reason: 'event not handled' };
    const action = (payload as { action?: unknown }).action;
    options.logger.info({ deliveryId: id, event: name, action, ...outcome }, 'GitHub webhook');
    return answer(res, outcome);
  });
  return router;
}
