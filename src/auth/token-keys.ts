/**
 * The key material tokens are signed and verified with: one shared secret (HS256) or one
 * asymmetric key pair (EdDSA with Ed25519, RS256 with RSA, ES256 with P-256). The algorithm follows
 * from the key and is pinned: a verifier accepts exactly one algorithm and one key id.
 */
import { createHash, createPrivateKey, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { LoomError } from '../errors/index.js';

export type TokenAlgorithm = 'HS256' | 'EdDSA' | 'RS256' | 'ES256';

export interface SecretTokenKeys {
  kind: 'secret';
  algorithm: 'HS256';
  /** Key id written into every token header and required on verification. */
  kid: string;
  /**
   * A KeyObject, not bytes: given bytes, jsonwebtoken first tries to parse them as a PEM public key
   * on every call, which made verification the proxy's most expensive step.
   */
  secret: KeyObject;
}

export interface AsymmetricTokenKeys {
  kind: 'asymmetric';
  algorithm: Exclude<TokenAlgorithm, 'HS256'>;
  kid: string;
  publicKey: KeyObject;
  /** Absent on a verify-only side (the server can run with the public key alone). */
  privateKey: KeyObject | undefined;
}

export type TokenKeys = SecretTokenKeys | AsymmetricTokenKeys;

/** A 32-character minimum matches LOOM_JWT_SECRET's validation: HS256 needs real entropy. */
export const minimumSecretLength = 32;

export function createSecretTokenKeys(secret: string): SecretTokenKeys {
  if (secret.length < minimumSecretLength) {
    throw new LoomError(
      'config_invalid',
      `the JWT secret must be at least ${minimumSecretLength} characters`,
    );
  }
  const bytes = Buffer.from(secret, 'utf8');
  return { kind: 'secret', algorithm: 'HS256', kid: keyId(bytes), secret: createSecretKey(bytes) };
}

/** Builds asymmetric keys from PEM text; the public key is derived from the private one when absent. */
export function createAsymmetricTokenKeys(pem: {
  privateKey?: string;
  publicKey?: string;
}): AsymmetricTokenKeys {
  if (pem.privateKey === undefined && pem.publicKey === undefined) {
    throw new LoomError('config_invalid', 'asymmetric token keys need a private or a public key');
  }
  const privateKey = pem.privateKey === undefined ? undefined : createPrivateKey(pem.privateKey);
  const publicKey =
    pem.publicKey === undefined ? createPublicKey(privateKey as KeyObject) : createPublicKey(pem.publicKey);
  if (privateKey !== undefined && pem.publicKey !== undefined) assertSamePair(privateKey, publicKey);
  const algorithm = algorithmForKey(publicKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { kind: 'asymmetric', algorithm, kid: keyId(der), publicKey, privateKey };
}

/** Both files configured: they must be halves of one pair, or tokens this side mints would not verify. */
function assertSamePair(privateKey: KeyObject, publicKey: KeyObject): void {
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  if (!derived.equals(publicKey.export({ type: 'spki', format: 'der' }))) {
    throw new LoomError('config_invalid', 'the token public key does not belong to the token private key');
  }
}

function algorithmForKey(key: KeyObject): AsymmetricTokenKeys['algorithm'] {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new LoomError('config_invalid', 'RSA token keys must have at least 2048 bits');
    return 'RS256';
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new LoomError('config_invalid', `unsupported token key type: ${key.asymmetricKeyType ?? 'unknown'}`, {
    details: { supported: ['ed25519', 'rsa (>= 2048 bits)', 'ec P-256'] },
  });
}

/** A short fingerprint of the verifying key: it tells keys apart without revealing anything. */
function keyId(material: Buffer): string {
  return createHash('sha256').update(material).digest('base64url').slice(0, 16);
}
