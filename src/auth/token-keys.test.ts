import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLoomError } from '../errors/index.js';
import { createAsymmetricTokenKeys } from './token-keys.js';

function pem(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('ed25519', {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

describe('createAsymmetricTokenKeys', () => {
  it('accepts both halves of one pair and pins the algorithm from the key type', () => {
    const pair = pem();
    expect(createAsymmetricTokenKeys(pair).algorithm).toBe('EdDSA');
  });

  it('refuses a public key that is not the private key’s half', () => {
    let caught: unknown;
    try {
      createAsymmetricTokenKeys({ privateKey: pem().privateKey, publicKey: pem().publicKey });
    } catch (error) {
      caught = error;
    }
    expect(isLoomError(caught, 'config_invalid')).toBe(true);
    expect((caught as Error).message).toMatch(/does not belong/);
  });
});
