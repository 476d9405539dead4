/**
 * The HTTP request the proxy sends to a provider: its URL, and headers built from scratch (an
 * allow-list of what the caller may pass on). The caller's own credentials (its Loom token) are never
 * copied; the server's key is added here and nowhere else.
 */
import { defaultAnthropicBaseUrl, defaultOpenAiBaseUrl } from '../llm/index.js';
import type { AuthorizedCall } from './authorize-call.js';

export interface UpstreamRequest {
  url: string;
  init: { method: 'POST' | 'GET'; headers: Record<string, string>; body: string | undefined };
}

/** Anthropic's API version, when the caller does not name one (every current SDK does). */
export const defaultAnthropicVersion = '2023-06-01';

export interface ForwardedHeaders {
  /** `anthropic-version`, `anthropic-beta`: they change the wire format, so they must pass. */
  [name: string]: string | undefined;
}

/**
 * Provider endpoints the proxy calls, by their path under the API's base URL (Anthropic's base has
 * no `/v1`, OpenAI's does).
 */
export type ProviderEndpoint =
  | '/v1/messages'
  | '/v1/messages/count_tokens'
  | '/chat/completions'
  | '/responses'
  | '/v1/models'
  | '/models';

/** The endpoint a model call goes to when none is named: the one the normalized routes use. */
export const modelCallEndpoints = { anthropic: '/v1/messages', openai: '/chat/completions' } as const;

/** A POST of `body` to the endpoint, or a GET when there is no body (model lists). */
export function upstreamRequest(
  call: Pick<AuthorizedCall, 'provider' | 'upstream'>,
  body: string | undefined,
  forwarded: ForwardedHeaders = {},
  search = '',
  endpoint: ProviderEndpoint = modelCallEndpoints[call.provider],
): UpstreamRequest {
  // Only Anthropic's query strings are ever passed on (`?beta=true`, a model list's paging).
  const query = call.provider === 'anthropic' ? search : '';
  const headers = providerHeaders(call, forwarded);
  return {
    url: `${providerBaseUrl(call)}${endpoint}${query}`,
    init:
      body === undefined
        ? { method: 'GET', body, headers: { accept: 'application/json', ...headers } }
        : {
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              ...headers,
            },
          },
  };
}

/** The provider's API base without a trailing slash: OpenAI's includes `/v1`, Anthropic's does not. */
export function providerBaseUrl(call: Pick<AuthorizedCall, 'provider' | 'upstream'>): string {
  const base =
    call.provider === 'anthropic'
      ? (call.upstream.baseUrl ?? defaultAnthropicBaseUrl)
      : (call.upstream.baseUrl ?? defaultOpenAiBaseUrl);
  return trimSlash(base);
}

/** The server's key, and for Anthropic the API version and beta flags the caller chose. */
export function providerHeaders(
  call: Pick<AuthorizedCall, 'provider' | 'upstream'>,
  forwarded: ForwardedHeaders = {},
): Record<string, string> {
  const { apiKey } = call.upstream;
  if (call.provider === 'openai') return apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
  const beta = forwarded['anthropic-beta'];
  // Added one by one: a spread copy given more headers afterwards outlives V8's young generation
  // (specs/proxy.md, "Spread copies"), and this runs on every call.
  const headers: Record<string, string> = {};
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  headers['anthropic-version'] = forwarded['anthropic-version'] ?? defaultAnthropicVersion;
  if (beta !== undefined) headers['anthropic-beta'] = beta;
  return headers;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
