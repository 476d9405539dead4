/**
 * `GET /proxy/anthropic/v1/models` and `GET /proxy/openai/v1/models`: the provider's model list, for
 * the SDKs' `models.list()` and the tools that fill a model picker from it. The list is fetched with
 * the server's key and narrowed to the models the caller's token may use. Listing is free, so it is
 * not metered; it passes the token check and the rate limit like any proxy call.
 */
import type { IncomingMessage } from 'node:http';
import { isModelAllowed, type TokenClaims } from '../auth/index.js';
import { LoomError, toLoomError } from '../errors/index.js';
import { authenticate } from './authenticate-request.js';
import { configuredUpstream, type AuthorizedCall } from './authorize-call.js';
import { adviceForProviderFailure, shouldRetryHeader } from './client-retry-advice.js';
import { jsonCopyWith } from './json-copy.js';
import { redactKey } from './redact-key.js';
import { openUpstream } from './open-upstream.js';
import type { ProxyCallHandler, ProxyDeps } from './proxy-deps.js';
import { headerOf } from './request-header.js';
import { sendProxyError } from './send-proxy-error.js';
import { readBodyText } from './upstream-fetch.js';
import type { ProxyProvider } from './usage-ledger.js';
import { watchClientDisconnect } from './watch-client-disconnect.js';

/** Anthropic's paging parameters; nothing else in the caller's query string is passed on. */
const pagingParameters = ['limit', 'after_id', 'before_id'];

export function createModelListHandler(deps: ProxyDeps, provider: ProxyProvider): ProxyCallHandler {
  return async (request, response) => {
    let claims: TokenClaims;
    let upstream: AuthorizedCall['upstream'];
    try {
      claims = await authenticate(deps, request);
      upstream = configuredUpstream(deps.upstream[provider], provider);
    } catch (error) {
      return sendProxyError(response, toLoomError(error));
    }
    const call = { provider, upstream };
    try {
      // A list comes at once, like a stream's headers: the short first-byte wait, and retries.
      const result = await openUpstream(deps, {
        call,
        body: undefined,
        streaming: true,
        signal: watchClientDisconnect(response),
        forwarded: { 'anthropic-version': headerOf(request, 'anthropic-version') },
        search: pagingQuery(request),
        endpoint: provider === 'anthropic' ? '/v1/models' : '/models',
      });
      if (result.giveUp !== undefined) {
        // The provider's own failure, as the native routes relay it: its status, its body minus our key.
        response.statusCode = result.response.status;
        const advice = adviceForProviderFailure(result.giveUp);
        if (advice !== undefined) response.setHeader(shouldRetryHeader, String(advice));
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.end(redactKey(result.failureBody ?? '', upstream.apiKey));
        return;
      }
      const list = parseList(await readBodyText(result.response.body));
      const allowed = list.data.filter(
        (model) => typeof model.id === 'string' && isModelAllowed(claims, provider, model.id),
      );
      deps.logger.info(
        { subject: claims.sub, provider, listed: list.data.length, allowed: allowed.length },
        'proxy model list',
      );
      response.statusCode = 200;
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.end(JSON.stringify(jsonCopyWith(list, { data: allowed })));
    } catch (error) {
      // Whatever failed here came after Loom's own retries of the provider.
      sendProxyError(response, toLoomError(error, 'upstream_unavailable'), false);
    }
  };
}

/** Both providers answer `{data: [{id, ...}], ...}`; anything else is the provider's trouble. */
function parseList(text: string): { data: Array<{ id?: unknown }> } & Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as { data?: unknown };
    if (Array.isArray(parsed.data)) return parsed as { data: Array<{ id?: unknown }> };
  } catch {
    // Falls through to the error below.
  }
  throw new LoomError('upstream_unavailable', 'the provider answered the model list with an unexpected body');
}

function pagingQuery(request: IncomingMessage): string {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (query === -1) return '';
  const given = new URLSearchParams(url.slice(query + 1));
  const kept = new URLSearchParams();
  for (const name of pagingParameters) {
    const value = given.get(name);
    if (value !== null) kept.set(name, value);
  }
  const text = kept.toString();
  return text === '' ? '' : `?${text}`;
}
