/**
 * What `loom token revoke` was given: a token id (`claims.jti`), or the leaked token itself, which
 * is what a user usually has at hand. A token is only decoded, not verified: revoking the id of a
 * forged token refuses nothing that was valid. Its `exp`, when present, bounds how long the
 * revocation must be kept.
 */
import jwt from 'jsonwebtoken';
import { LoomError } from '../errors/index.js';

export interface RevocationTarget {
  jti: string;
  /** When the token expires anyway (undefined: given a bare id, so unknown). */
  expiresAt: Date | undefined;
}

const jwtShape = /^[\w-]+\.[\w-]+\.[\w-]*$/;

export function revocationTarget(value: string): RevocationTarget {
  const given = value.trim();
  if (given === '') throw new LoomError('invalid_input', 'give the token id (jti) or the token to revoke');
  if (!jwtShape.test(given)) return { jti: given, expiresAt: undefined };
  const payload = jwt.decode(given, { json: true });
  if (payload === null || typeof payload.jti !== 'string' || payload.jti === '') {
    throw new LoomError(
      'invalid_input',
      'this looks like a token but carries no jti: give the token id instead',
    );
  }
  return {
    jti: payload.jti,
    expiresAt: typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined,
  };
}
