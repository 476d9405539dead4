/**
 * Builds JWTs by hand, the way an attacker would: any header (alg none, a foreign kid), any payload,
 * signed with any HMAC key or not at all. Used to prove the verifier refuses each of them.
 */
import { createHmac } from 'node:crypto';

export function encodeSegment(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** An HS256 token signed with `key` (a secret, or a public key's PEM text for algorithm confusion). */
export function forgeHs256(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: string | Buffer,
): string {
  const signingInput = `${encodeSegment({ typ: 'JWT', ...header, alg: 'HS256' })}.${encodeSegment(payload)}`;
  return `${signingInput}.${createHmac('sha256', key).update(signingInput).digest('base64url')}`;
}

/** An unsigned token (`alg: none`), with the empty signature segment the spec prescribes. */
export function forgeUnsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${encodeSegment({ typ: 'JWT', ...header, alg: 'none' })}.${encodeSegment(payload)}.`;
}

/** Claims that would be accepted, given a valid signature; tests override one field at a time. */
export function validClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'loom',
    aud: 'loom-proxy',
    sub: 'mallory',
    jti: `forged-${Math.random().toString(36).slice(2)}`,
    iat: now,
    exp: now + 3600,
    role: 'admin',
    ...overrides,
  };
}
