/**
 * The LLM proxy's routes. Every route needs a Loom token; the normalized routes speak Loom's format,
 * the native ones the providers' own.
 *
 *   POST /proxy/{anthropic|openai}/complete      normalized request → one JSON response
 *   POST /proxy/{anthropic|openai}/stream        normalized request → SSE, event `llm`
 *   POST /proxy/anthropic/v1/messages            Anthropic Messages API (any Anthropic SDK)
 *   POST /proxy/openai/v1/chat/completions       OpenAI Chat Completions (any OpenAI SDK)
 *
 * The native routes are whole handlers on node's request and response (token, rate limit and body
 * included), mounted in the express router and offered as direct routes the server serves before
 * express (`proxyDirectRoutes`): the same function either way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { LoomError } from '../errors/index.js';
import { createAuthenticateRequest } from './authenticate-request.js';
import { createNativeHandler, proxyBodyLimitBytes, type NativeCallHandler } from './native-pass-through.js';
import { createNormalizedHandler } from './normalized-route.js';
import type { ProxyDeps } from './proxy-deps.js';
import { sendProxyError } from './send-proxy-error.js';
import type { ProxyProvider } from './usage-ledger.js';

const providers: readonly ProxyProvider[] = ['anthropic', 'openai'];

/** A native route served before express (the server's `DirectRoute`). */
export interface ProxyDirectRoute {
  method: 'POST';
  path: string;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Each call is logged by the proxy (`proxy call`), so the access log line is debug. */
  logsItself: true;
}

const nativePaths: Record<ProxyProvider, string> = {
  anthropic: '/anthropic/v1/messages',
  openai: '/openai/v1/chat/completions',
};

export function createProxyRouter(deps: ProxyDeps): Router {
  const router = express.Router();
  // Before the authentication middleware: the native handlers check the token themselves.
  for (const provider of providers) {
    const handle = guarded(createNativeHandler(deps, provider), deps);
    router.post(nativePaths[provider], (request, response) => void handle(request, response));
  }
  // Authentication first: a request without a valid token is refused before its body is even read.
  router.use(createAuthenticateRequest(deps));
  const jsonBody = express.json({ limit: proxyBodyLimitBytes });
  for (const provider of providers) {
    router.post(`/${provider}/complete`, jsonBody, createNormalizedHandler(deps, provider, 'complete'));
    router.post(`/${provider}/stream`, jsonBody, createNormalizedHandler(deps, provider, 'stream'));
  }
  router.use(bodyErrors);
  return router;
}

/** The native routes under `mountPath`, for the server to serve before express. */
export function proxyDirectRoutes(deps: ProxyDeps, mountPath = '/proxy'): ProxyDirectRoute[] {
  return providers.map((provider) => ({
    method: 'POST',
    path: `${mountPath}${nativePaths[provider]}`,
    handle: createNativeHandler(deps, provider),
    logsItself: true,
  }));
}

function guarded(handle: NativeCallHandler, deps: Pick<ProxyDeps, 'logger'>): NativeCallHandler {
  return (request, response) =>
    handle(request, response).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'proxy call failed');
      sendProxyError(response, new LoomError('internal', 'internal error'));
    });
}

/** body-parser's errors carry an HTTP status: 413 for a body over the limit, 400 for broken JSON. */
const bodyErrors: ErrorRequestHandler = (error: unknown, _request, response, next) => {
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number') return next(error);
  const failure =
    status === 413
      ? new LoomError('payload_too_large', 'the request body exceeds 32mb')
      : new LoomError('invalid_input', 'the request body is not valid JSON');
  sendProxyError(response, failure);
};
