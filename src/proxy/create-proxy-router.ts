/**
 * The LLM proxy: an express Router mounted at `/proxy`. Every route needs a Loom token; the
 * normalized routes speak Loom's format, the native ones the providers' own.
 *
 *   POST /proxy/{anthropic|openai}/complete      normalized request → one JSON response
 *   POST /proxy/{anthropic|openai}/stream        normalized request → SSE, event `llm`
 *   POST /proxy/anthropic/v1/messages            Anthropic Messages API (any Anthropic SDK)
 *   POST /proxy/openai/v1/chat/completions       OpenAI Chat Completions (any OpenAI SDK)
 */
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { LoomError } from '../errors/index.js';
import { claimsOf, createAuthenticateRequest } from './authenticate-request.js';
import { createNativeHandler } from './native-pass-through.js';
import { createNormalizedHandler } from './normalized-route.js';
import type { ProxyDeps } from './proxy-deps.js';
import { sendProxyError } from './send-proxy-error.js';
import type { ProxyProvider } from './usage-ledger.js';

const providers: readonly ProxyProvider[] = ['anthropic', 'openai'];

/** Requests carry whole conversations; 32 MiB leaves room for long agent runs. */
export const proxyBodyLimit = '32mb';

export function createProxyRouter(deps: ProxyDeps): Router {
  const router = express.Router();
  // Authentication first: a request without a valid token is refused before its body is even read.
  router.use(createAuthenticateRequest(deps));
  router.use(rateLimitBySubject(deps));
  const jsonBody = express.json({ limit: proxyBodyLimit });
  // The native routes keep the caller's bytes: most calls are forwarded exactly as written.
  const rawBody = express.raw({ type: () => true, limit: proxyBodyLimit });
  for (const provider of providers) {
    router.post(`/${provider}/complete`, jsonBody, createNormalizedHandler(deps, provider, 'complete'));
    router.post(`/${provider}/stream`, jsonBody, createNormalizedHandler(deps, provider, 'stream'));
  }
  router.post('/anthropic/v1/messages', rawBody, createNativeHandler(deps, 'anthropic'));
  router.post('/openai/v1/chat/completions', rawBody, createNativeHandler(deps, 'openai'));
  router.use(bodyErrors);
  return router;
}

function rateLimitBySubject(deps: Pick<ProxyDeps, 'rateLimiter' | 'logger'>): RequestHandler {
  return (_request, response, next) => {
    const subject = claimsOf(response).sub;
    const decision = deps.rateLimiter.take(subject);
    if (decision.allowed) return next();
    deps.logger.warn({ subject, retryAfterMs: decision.retryAfterMs }, 'proxy rate limit hit');
    sendProxyError(
      response,
      new LoomError('rate_limited', `too many model calls for ${subject}; retry later`, {
        details: { retry_after_ms: decision.retryAfterMs },
      }),
    );
  };
}

/** body-parser's errors carry an HTTP status: 413 for a body over the limit, 400 for broken JSON. */
const bodyErrors: ErrorRequestHandler = (error: unknown, _request, response, next) => {
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number') return next(error);
  const failure =
    status === 413
      ? new LoomError('payload_too_large', `the request body exceeds ${proxyBodyLimit}`)
      : new LoomError('invalid_input', 'the request body is not valid JSON');
  sendProxyError(response, failure);
};
