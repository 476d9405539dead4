/**
 * Express middleware that admits a request only with a valid, unrevoked Loom token, taken from
 * `x-api-key` (what Anthropic SDKs send) or `Authorization: Bearer` (OpenAI SDKs, the proxy client).
 * A rejected request gets a 401 JSON error and goes no further: nothing reaches a provider.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { RevocationList, TokenClaims } from '../auth/index.js';
import { isLoomError, LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { TokenVerifier } from './proxy-deps.js';
import { sendProxyError } from './send-proxy-error.js';

export interface AuthenticateDeps {
  tokens: TokenVerifier;
  revocations: RevocationList;
  logger: Logger;
}

export function createAuthenticateRequest(deps: AuthenticateDeps): RequestHandler {
  return async (request, response, next) => {
    try {
      const claims = deps.tokens.verify(bearerToken(request));
      if (await deps.revocations.isRevoked(claims.jti)) throw new LoomError('unauthorized', 'token revoked');
      response.locals.claims = claims;
      next();
    } catch (error) {
      const failure = isLoomError(error)
        ? error
        : new LoomError('dependency_unavailable', 'cannot check the token');
      // The reason only: never the token, which is a credential.
      deps.logger.warn({ path: request.path, reason: failure.message }, 'proxy request rejected');
      sendProxyError(response, failure);
    }
  };
}

/** The token of an authenticated request (set by the middleware). */
export function claimsOf(response: Response): TokenClaims {
  const claims = (response.locals as { claims?: TokenClaims }).claims;
  if (claims === undefined) throw new LoomError('internal', 'proxy route reached without authentication');
  return claims;
}

function bearerToken(request: Request): string | undefined {
  const apiKey = request.get('x-api-key');
  if (apiKey !== undefined && apiKey.trim() !== '') return apiKey.trim();
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.get('authorization') ?? '');
  return match?.[1];
}
