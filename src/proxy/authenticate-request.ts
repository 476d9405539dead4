/**
 * Admits a request only with a valid, unrevoked Loom token, taken from `x-api-key` (what Anthropic
 * SDKs send) or `Authorization: Bearer` (OpenAI SDKs, the proxy client), and within its subject's
 * rate limit. A rejected request gets a JSON error and goes no further: nothing reaches a provider.
 * `authenticate` is called by every proxy route; the middleware answers other paths under the mount.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { RevocationList, TokenClaims } from '../auth/index.js';
import { isLoomError, LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { TokenVerifier } from './proxy-deps.js';
import { sendProxyError } from './send-proxy-error.js';
import type { RateLimiter } from './token-bucket-rate-limiter.js';

export interface AuthenticateDeps {
  tokens: TokenVerifier;
  revocations: RevocationList;
  rateLimiter: RateLimiter;
  logger: Logger;
}

/** The request's token claims; throws the LoomError to answer with (401, 429, 503). */
export async function authenticate(deps: AuthenticateDeps, request: IncomingMessage): Promise<TokenClaims> {
  let claims: TokenClaims;
  try {
    claims = deps.tokens.verify(bearerToken(request));
    if (await deps.revocations.isRevoked(claims.jti)) throw new LoomError('unauthorized', 'token revoked');
  } catch (error) {
    const failure = isLoomError(error)
      ? error
      : new LoomError('dependency_unavailable', 'cannot check the token');
    // The reason only: never the token, which is a credential.
    deps.logger.warn({ path: pathOf(request), reason: failure.message }, 'proxy request rejected');
    throw failure;
  }
  const decision = deps.rateLimiter.take(claims.sub);
  if (!decision.allowed) {
    deps.logger.warn({ subject: claims.sub, retryAfterMs: decision.retryAfterMs }, 'proxy rate limit hit');
    throw new LoomError('rate_limited', `too many model calls for ${claims.sub}; retry later`, {
      details: { retry_after_ms: decision.retryAfterMs },
    });
  }
  return claims;
}

export function createAuthenticateRequest(deps: AuthenticateDeps): RequestHandler {
  return async (request, response, next) => {
    try {
      response.locals.claims = await authenticate(deps, request);
    } catch (error) {
      return sendProxyError(response, error as LoomError);
    }
    next();
  };
}

function bearerToken(request: IncomingMessage): string | undefined {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** The path without its query string, which may carry anything. */
function pathOf(request: IncomingMessage): string {
  const url = (request as { originalUrl?: string }).originalUrl ?? request.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
