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
import { configuredUpstream } from './authorize-call.js';
import { fetchWithRetry } from './fetch-with-retry.js';
import { defaultProxyTimeouts, type ProxyCallHandler, type ProxyDeps } from './proxy-deps.js';
import { redactKey } from './redact-key.js';
import { headerOf } from './request-header.js';
import { sendProxyError } from './send-proxy-error.js';
import { defaultUpstreamFetch } from './undici-upstream-fetch.js';
import { readBodyText } from './upstream-fetch.js';
import { providerBaseUrl, providerHeaders } from './upstream-request.js';
import { defaultRetryPolicy } from './upstream-retry.js';
import type { ProxyProvider } from './usage-ledger.js';
import { watchClientDisconnect } from './watch-client-disconnect.js';

/** Anthropic's paging parameters; nothing else in the caller's query string is passed on. */
const pagingParameters = ['limit', 'after_id', 'before_id'];

export function createModelListHandler(deps: ProxyDeps, provider: ProxyProvider): ProxyCallHandler {
  return async (request, response) => {
    let claims: TokenClaims;
    let upstream: { apiKey: string; baseUrl: string | undefined };
    try {
      claims = await authenticate(deps, request);
      upstream = configuredUpstream(deps.upstream[provider], provider);
    } catch (error) {
      return sendProxyError(response, toLoomError(error));
    }
    const call = { provider, upstream };
    const path = provider === 'anthropic' ? `/v1/models${pagingQuery(request)}` : '/models';
    const send = deps.fetch ?? defaultUpstreamFetch;
    const forwarded = { 'anthropic-version': headerOf(request, 'anthropic-version') };
    const headers = { accept: 'application/json', ...providerHeaders(call, forwarded) };
    try {
      const result = await fetchWithRetry({
        send: (signal) =>
          send(`${providerBaseUrl(call)}${path}`, { method: 'GET', headers, body: '', signal }),
        policy: deps.retryPolicy ?? defaultRetryPolicy,
        signal: watchClientDisconnect(response),
        firstByteTimeoutMs: deps.timeouts?.firstByteMs ?? defaultProxyTimeouts.firstByteMs,
        ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      });
      if (result.giveUp !== undefined) {
        // The provider's own failure, as the native routes relay it: its status, its body minus our key.
        response.statusCode = result.response.status;
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
      response.end(JSON.stringify({ ...list, data: allowed }));
    } catch (error) {
      sendProxyError(response, toLoomError(error, 'upstream_unavailable'));
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
