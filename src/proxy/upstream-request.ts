/**
 * The HTTP request the proxy sends to a provider: its URL, and headers built from scratch (an
 * allow-list of what the caller may pass on). The caller's own credentials (its Loom token) are never
 * copied; the server's key is added here and nowhere else.
 */
import { defaultAnthropicBaseUrl, defaultOpenAiBaseUrl } from '../llm/index.js';
import type { AuthorizedCall } from './authorize-call.js';

export interface UpstreamRequest {
  url: string;
  init: { method: 'POST'; headers: Record<string, string>; body: string };
}

/** Anthropic's API version, when the caller does not name one (every current SDK does). */
export const defaultAnthropicVersion = '2023-06-01';

export interface ForwardedHeaders {
  /** `anthropic-version`, `anthropic-beta`: they change the wire format, so they must pass. */
  [name: string]: string | undefined;
}

/** Anthropic endpoints the proxy passes on, by their path under the API's base URL. */
export type AnthropicEndpoint = '/v1/messages' | '/v1/messages/count_tokens';

export function upstreamRequest(
  call: Pick<AuthorizedCall, 'provider' | 'upstream'>,
  body: string,
  forwarded: ForwardedHeaders = {},
  search = '',
  anthropicEndpoint: AnthropicEndpoint = '/v1/messages',
): UpstreamRequest {
  const common = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (call.provider === 'anthropic') {
    const base = trimSlash(call.upstream.baseUrl ?? defaultAnthropicBaseUrl);
    const beta = forwarded['anthropic-beta'];
    return {
      url: `${base}${anthropicEndpoint}${search}`,
      init: {
        method: 'POST',
        body,
        headers: {
          ...common,
          'x-api-key': call.upstream.apiKey,
          'anthropic-version': forwarded['anthropic-version'] ?? defaultAnthropicVersion,
          ...(beta === undefined ? {} : { 'anthropic-beta': beta }),
        },
      },
    };
  }
  const base = trimSlash(call.upstream.baseUrl ?? defaultOpenAiBaseUrl);
  return {
    url: `${base}/chat/completions`,
    init: { method: 'POST', body, headers: { ...common, authorization: `Bearer ${call.upstream.apiKey}` } },
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
