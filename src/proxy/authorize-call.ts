/**
 * The checks every model call passes before anything is sent upstream: the model resolves (`default`
 * is the server's choice), the token's allow-list admits it, the token's budget is not spent, and the
 * provider is configured (a key, or a base URL of its own: a self-hosted OpenAI-compatible server
 * such as Ollama or vLLM may want none). Spend is summed per token (`jti`): a job has one token, so
 * one budget.
 */
import { isModelAllowed, type TokenClaims } from '../auth/index.js';
import { LoomError } from '../errors/index.js';
import type { ProxyDeps, UpstreamConfig } from './proxy-deps.js';
import type { ProxyProvider } from './usage-ledger.js';

export interface AuthorizedCall {
  claims: TokenClaims;
  provider: ProxyProvider;
  model: string;
  /** `apiKey` undefined: a server of the team's own that wants none (no auth header is sent). */
  upstream: { apiKey: string | undefined; baseUrl: string | undefined };
}

export async function authorizeCall(
  deps: Pick<ProxyDeps, 'usage' | 'upstream' | 'defaultModels'>,
  claims: TokenClaims,
  provider: ProxyProvider,
  requestedModel: unknown,
): Promise<AuthorizedCall> {
  const model = resolveModel(requestedModel, provider, deps.defaultModels);
  if (!isModelAllowed(claims, provider, model)) {
    throw new LoomError('forbidden', `this token may not use ${provider}/${model}`, {
      details: { allowed_models: claims.models },
    });
  }
  if (claims.budget_usd !== undefined) {
    const spent = await deps.usage.spentUsd({ tokenId: claims.jti });
    if (spent >= claims.budget_usd) {
      throw new LoomError(
        'budget_exceeded',
        `budget of $${claims.budget_usd} is spent ($${spent.toFixed(4)} used)`,
        {
          details: { budget_usd: claims.budget_usd, spent_usd: spent },
        },
      );
    }
  }
  return { claims, provider, model, upstream: configuredUpstream(deps.upstream[provider], provider) };
}

export function resolveModel(
  requested: unknown,
  provider: ProxyProvider,
  defaults: Partial<Record<ProxyProvider, string>>,
): string {
  if (requested !== undefined && typeof requested !== 'string') {
    throw new LoomError('invalid_input', '`model` must be a string');
  }
  if (requested === undefined || requested === '' || requested === 'default') {
    const fallback = defaults[provider];
    if (fallback === undefined)
      throw new LoomError('invalid_input', `no default model is configured for ${provider}`);
    return fallback;
  }
  // Accept `anthropic/claude-…` too, as LOOM_MODEL spells it.
  return requested.startsWith(`${provider}/`) ? requested.slice(provider.length + 1) : requested;
}

/**
 * The provider's key and base URL. Configured means a key, or a base URL of its own (the public
 * APIs always want a key, a self-hosted server may not); otherwise 503.
 */
export function configuredUpstream(
  upstream: UpstreamConfig,
  provider: ProxyProvider,
): AuthorizedCall['upstream'] {
  if (upstream.apiKey === undefined && upstream.baseUrl === undefined) {
    // Not retryable: asking again changes nothing until an operator configures it.
    throw new LoomError('dependency_unavailable', `${provider} is not configured on this server`, {
      retryable: false,
    });
  }
  return { apiKey: upstream.apiKey, baseUrl: upstream.baseUrl };
}
