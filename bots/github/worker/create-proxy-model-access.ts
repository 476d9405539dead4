/**
 * Model access for one run attempt through Loom's LLM proxy: the worker mints a short-lived job token
 * carrying the run's budget (the proxy meters and enforces it mid-run), talks to the proxy with it,
 * and revokes it when the attempt ends, so a leaked token is useless afterwards (RELIABILITY 36).
 * Provider keys never reach the worker's agent loop, let alone a weaver.
 */
import type { RevocationList, TokenService } from '../../../src/auth/index.js';
import { LoomError } from '../../../src/errors/index.js';
import { parseModelRef, type LlmClient } from '../../../src/llm/index.js';
import { createProxyLlmClient } from '../../../src/proxy/index.js';

export interface ModelSession {
  llm: LlmClient;
  /** Model name as requests carry it (no provider prefix). */
  model: string;
  /** Ends the session: the token is revoked. Safe to call more than once. */
  release(): Promise<void>;
}

export interface ModelAccessRequest {
  runId: string;
  /** Who the spend is attributed to, e.g. `github:alice`. */
  subject: string;
  budgetUsd: number;
  /** Token lifetime: the run's wall-time limit plus a margin. */
  ttlSeconds: number;
}

/** The port the GitHub worker uses to reach a model. */
export interface ModelAccess {
  open(request: ModelAccessRequest): Promise<ModelSession>;
}

export interface ProxyModelAccessOptions {
  tokens: Pick<TokenService, 'mint'>;
  revocations?: RevocationList;
  /** The proxy (`LOOM_PROXY_URL`, or the server's own URL). */
  proxyUrl: string;
  /** `provider/model` (`LOOM_MODEL`). */
  model: string;
  fetch?: typeof fetch;
}

export function createProxyModelAccess(options: ProxyModelAccessOptions): ModelAccess {
  const ref = parseModelRef(options.model);
  if (ref.provider !== 'anthropic' && ref.provider !== 'openai') {
    throw new LoomError(
      'config_invalid',
      `the proxy serves anthropic and openai models, not ${ref.provider}`,
    );
  }
  const provider = ref.provider;
  return {
    async open(request) {
      const minted = options.tokens.mint({
        subject: request.subject,
        role: 'job',
        jobId: request.runId,
        budgetUsd: request.budgetUsd,
        ttlSeconds: request.ttlSeconds,
        models: [ref.model, `${provider}/${ref.model}`],
      });
      let released = false;
      return {
        llm: createProxyLlmClient({
          baseUrl: options.proxyUrl,
          token: minted.token,
          provider,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
        model: ref.model,
        async release() {
          if (released || options.revocations === undefined) return;
          released = true;
          await options.revocations.revoke(minted.claims.jti, new Date(minted.claims.exp * 1000));
        },
      };
    },
  };
}
