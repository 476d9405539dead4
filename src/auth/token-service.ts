/**
 * Mints and verifies Loom proxy tokens (JWTs). Verification is strict by construction: exactly one
 * algorithm (the configured key's) and one key id are accepted, `kid` is compared and never used to
 * load anything, and `iss`, `aud`, `sub`, `jti`, `iat` and `exp` are required. Every failure is a
 * `LoomError('unauthorized')`, so the HTTP edge answers 401 whatever went wrong.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { isLoomError, LoomError } from '../errors/index.js';
import { signEdDsaJwt, verifyEdDsaSignature } from './eddsa-jwt.js';
import {
  defaultTokenAudience,
  defaultTokenIssuer,
  tokenClaimsSchema,
  type TokenClaims,
  type TokenRole,
} from './token-claims.js';
import type { TokenKeys } from './token-keys.js';

export interface TokenServiceOptions {
  keys: TokenKeys;
  issuer?: string;
  audience?: string;
  /** Allowed clock skew for `exp` and `nbf`, in seconds (default 30). */
  clockToleranceSeconds?: number;
  /** Clock in milliseconds; tests move it. */
  now?: () => number;
}

export interface MintTokenInput {
  subject: string;
  role?: TokenRole;
  ttlSeconds: number;
  jobId?: string;
  budgetUsd?: number;
  models?: string[];
}

export interface MintedToken {
  token: string;
  claims: TokenClaims;
}

export interface TokenService {
  readonly algorithm: TokenKeys['algorithm'];
  mint(input: MintTokenInput): MintedToken;
  /** Returns the token's claims, or throws `LoomError('unauthorized')`. */
  verify(token: string | undefined): TokenClaims;
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { keys } = options;
  const issuer = options.issuer ?? defaultTokenIssuer;
  const audience = options.audience ?? defaultTokenAudience;
  const tolerance = options.clockToleranceSeconds ?? 30;
  const nowSeconds = () => Math.floor((options.now ?? Date.now)() / 1000);

  function mint(input: MintTokenInput): MintedToken {
    const iat = nowSeconds();
    const parsed = tokenClaimsSchema.safeParse({
      iss: issuer,
      aud: audience,
      sub: input.subject,
      jti: randomUUID(),
      iat,
      exp: iat + input.ttlSeconds,
      role: input.role ?? 'user',
      ...(input.jobId === undefined ? {} : { job: input.jobId }),
      ...(input.budgetUsd === undefined ? {} : { budget_usd: input.budgetUsd }),
      ...(input.models === undefined ? {} : { models: input.models }),
    });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new LoomError('invalid_input', `cannot mint a token: ${problems.join('; ')}`, {
        details: { problems },
      });
    }
    const claims = parsed.data;
    return { token: sign(claims), claims };
  }

  function sign(claims: TokenClaims): string {
    if (keys.kind === 'secret') {
      return jwt.sign(claims, keys.secret, { algorithm: 'HS256', keyid: keys.kid });
    }
    if (keys.privateKey === undefined) {
      throw new LoomError(
        'config_invalid',
        'minting tokens needs the private key; only a public key is configured',
      );
    }
    if (keys.algorithm === 'EdDSA') return signEdDsaJwt(claims, keys.privateKey, keys.kid);
    return jwt.sign(claims, keys.privateKey, {
      algorithm: keys.algorithm,
      keyid: keys.kid,
    });
  }

  function verify(token: string | undefined): TokenClaims {
    if (token === undefined || token === '') throw unauthorized('missing token');
    try {
      checkHeader(token);
      const payload = verifySignature(token);
      return checkClaims(payload);
    } catch (error) {
      if (isLoomError(error, 'unauthorized')) throw error;
      if (error instanceof jwt.TokenExpiredError) throw unauthorized('token expired');
      if (error instanceof jwt.NotBeforeError) throw unauthorized('token not yet valid');
      throw unauthorized('invalid token');
    }
  }

  /** Rejects `alg: none`, algorithm confusion (HS256 with a public key) and foreign key ids up front. */
  function checkHeader(token: string): void {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => part === '')) throw unauthorized('malformed token');
    const header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null) throw unauthorized('malformed token');
    const { alg, kid } = header as { alg?: unknown; kid?: unknown };
    if (alg !== keys.algorithm) throw unauthorized('token algorithm not accepted');
    if (kid !== keys.kid) throw unauthorized('unknown key id');
  }

  function verifySignature(token: string): unknown {
    if (keys.algorithm === 'EdDSA') {
      if (keys.kind !== 'asymmetric') throw unauthorized('invalid token');
      return verifyEdDsaSignature(token, keys.publicKey);
    }
    const key = keys.kind === 'secret' ? keys.secret : keys.publicKey;
    return jwt.verify(token, key, {
      algorithms: [keys.algorithm],
      issuer,
      audience,
      clockTolerance: tolerance,
      clockTimestamp: nowSeconds(),
    });
  }

  /** Applied to every algorithm, so the EdDSA path (outside jsonwebtoken) gets the same checks. */
  function checkClaims(payload: unknown): TokenClaims {
    const parsed = tokenClaimsSchema.safeParse(payload);
    if (!parsed.success) throw unauthorized('token claims incomplete');
    const claims = parsed.data;
    const now = nowSeconds();
    if (claims.iss !== issuer) throw unauthorized('wrong issuer');
    if (claims.aud !== audience) throw unauthorized('wrong audience');
    if (now >= claims.exp + tolerance) throw unauthorized('token expired');
    if (claims.nbf !== undefined && claims.nbf > now + tolerance) throw unauthorized('token not yet valid');
    if (claims.iat > now + tolerance) throw unauthorized('token issued in the future');
    return claims;
  }

  return { algorithm: keys.algorithm, mint, verify };
}

function unauthorized(reason: string): LoomError {
  return new LoomError('unauthorized', reason);
}
