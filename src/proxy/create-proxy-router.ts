/**
 * The LLM proxy's routes. Every route needs a Loom token; the normalized routes speak Loom's format,
 * the native ones the providers' own.
 *
 *   POST /proxy/{anthropic|openai}/complete      normalized request → one JSON response
 *   POST /proxy/{anthropic|openai}/stream        normalized request → SSE, event `llm`
 *   POST /proxy/anthropic/v1/messages            Anthropic Messages API (any Anthropic SDK)
 *   POST /proxy/anthropic/v1/messages/count_tokens   Anthropic token counting (free, metered at $0)
 *   POST /proxy/openai/v1/chat/completions       OpenAI Chat Completions (any OpenAI SDK)
 *   POST /proxy/openai/v1/responses              OpenAI Responses API (responses.create, Codex)
 *   GET  /proxy/{anthropic|openai}/v1/models     the provider's models this token may use
 *
 * Each route is one function on node's own request and response (token, rate limit and body
 * included). The server serves them before express (`proxyDirectRoutes`): entering express and its
 * middleware cost ~0.2 ms of CPU per call, as much as the rest of a proxied call. The same functions
 * are mounted in an express router too, for apps that mount the proxy as a router.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import { LoomError } from '../errors/index.js';
import { createAuthenticateRequest } from './authenticate-request.js';
import { createModelListHandler } from './model-list-route.js';
import { createNativeHandler, nativeEndpoints, type NativeEndpoint } from './native-pass-through.js';
import { createNormalizedHandler } from './normalized-route.js';
import type { ProxyCallHandler, ProxyDeps } from './proxy-deps.js';
import { sendProxyError } from './send-proxy-error.js';
import type { ProxyProvider } from './usage-ledger.js';

/** A proxy route served before express (the server's `DirectRoute`). */
export interface ProxyDirectRoute {
  method: 'POST';
  path: string;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Each call is logged by the proxy (`proxy call`), so the access log line is debug. */
  logsItself: true;
}

const providers: readonly ProxyProvider[] = ['anthropic', 'openai'];
const nativeRoutes: Array<{ path: string; endpoint: NativeEndpoint }> = [
  { path: '/anthropic/v1/messages', endpoint: nativeEndpoints.anthropicMessages },
  { path: '/anthropic/v1/messages/count_tokens', endpoint: nativeEndpoints.anthropicCountTokens },
  { path: '/openai/v1/chat/completions', endpoint: nativeEndpoints.openAiChatCompletions },
  { path: '/openai/v1/responses', endpoint: nativeEndpoints.openAiResponses },
];

const modelListPaths: Record<ProxyProvider, string> = {
  anthropic: '/anthropic/v1/models',
  openai: '/openai/v1/models',
};

/** Every POST route, by its path under the mount point. */
function proxyRoutes(deps: ProxyDeps): Array<{ path: string; handle: ProxyCallHandler }> {
  return [
    ...providers.flatMap((provider) => [
      { path: `/${provider}/complete`, handle: createNormalizedHandler(deps, provider, 'complete') },
      { path: `/${provider}/stream`, handle: createNormalizedHandler(deps, provider, 'stream') },
    ]),
    ...nativeRoutes.map(({ path, endpoint }) => ({ path, handle: createNativeHandler(deps, endpoint) })),
  ];
}

export function createProxyRouter(deps: ProxyDeps): Router {
  const router = express.Router();
  for (const route of proxyRoutes(deps)) {
    const handle = guarded(route.handle, deps);
    router.post(route.path, (request, response) => void handle(request, response));
  }
  // Model lists are free and rare: served by express only, not before it.
  for (const provider of providers) {
    const handle = guarded(createModelListHandler(deps, provider), deps);
    router.get(modelListPaths[provider], (request, response) => void handle(request, response));
  }
  // Any other method or path under the mount: without a valid token 401, as for the routes.
  router.use(createAuthenticateRequest(deps));
  return router;
}

/** Every route under `mountPath`, for the server to serve before express. */
export function proxyDirectRoutes(deps: ProxyDeps, mountPath = '/proxy'): ProxyDirectRoute[] {
  return proxyRoutes(deps).map((route) => ({
    method: 'POST',
    path: `${mountPath}${route.path}`,
    handle: route.handle,
    logsItself: true,
  }));
}

function guarded(handle: ProxyCallHandler, deps: Pick<ProxyDeps, 'logger'>): ProxyCallHandler {
  return (request, response) =>
    handle(request, response).catch((error: unknown) => {
      deps.logger.error({ err: error }, 'proxy call failed');
      sendProxyError(response, new LoomError('internal', 'internal error'));
    });
}
