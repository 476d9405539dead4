/**
 * EdDSA (Ed25519) JWS compact signing and signature checking with node:crypto, because
 * jsonwebtoken 9 supports HS/RS/PS/ES algorithms only. Claims are checked by the token service,
 * the same way for every algorithm.
 */
import { sign, verify, type KeyObject } from 'node:crypto';

export function signEdDsaJwt(payload: object, privateKey: KeyObject, kid: string): string {
  const header = encode({ alg: 'EdDSA', typ: 'JWT', kid });
  const signingInput = `${header}.${encode(payload)}`;
  const signature = sign(null, Buffer.from(signingInput, 'utf8'), privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** Returns the decoded payload when the signature is valid; throws otherwise. */
export function verifyEdDsaSignature(token: string, publicKey: KeyObject): unknown {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) throw new Error('malformed');
  const valid = verify(
    null,
    Buffer.from(`${header}.${payload}`, 'utf8'),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) throw new Error('bad signature');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
