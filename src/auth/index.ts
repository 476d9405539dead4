export { createTokenService } from './token-service.js';
export type { MintTokenInput, MintedToken, TokenService, TokenServiceOptions } from './token-service.js';
export {
  defaultTokenAudience,
  defaultTokenIssuer,
  isModelAllowed,
  tokenClaimsSchema,
  tokenRoles,
} from './token-claims.js';
export type { TokenClaims, TokenRole } from './token-claims.js';
export { createAsymmetricTokenKeys, createSecretTokenKeys, minimumSecretLength } from './token-keys.js';
export type { AsymmetricTokenKeys, SecretTokenKeys, TokenAlgorithm, TokenKeys } from './token-keys.js';
export { jwtSecretFileName, loadOrCreateJwtSecret, loadTokenKeys } from './load-token-keys.js';
export type { LoadTokenKeysOptions } from './load-token-keys.js';
export { maxTokenTtlSeconds, parseTtl } from './parse-ttl.js';
export { revocationTarget } from './revocation-target.js';
export type { RevocationTarget } from './revocation-target.js';
export { createMemoryRevocationList } from './revocation-list.js';
export type { RevocationList } from './revocation-list.js';
export { createCachedRevocationList, defaultRevocationCacheMs } from './cached-revocation-list.js';
export type { CachedRevocationListOptions } from './cached-revocation-list.js';
export { createCachingTokenVerifier } from './caching-token-verifier.js';
export type { CachingTokenVerifierOptions, TokenVerifierLike } from './caching-token-verifier.js';
