import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateJwtSecret, loadTokenKeys } from './load-token-keys.js';

describe('loadTokenKeys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses LOOM_JWT_SECRET when set and writes nothing', async () => {
    const keys = await loadTokenKeys({ jwtSecret: 'x'.repeat(40), dataDir: join(dir, 'data') });
    expect(keys.algorithm).toBe('HS256');
    await expect(stat(join(dir, 'data'))).rejects.toThrow();
  });

  it('creates <dataDir>/jwt-secret once, mode 0600, and reuses it', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = await loadTokenKeys({ jwtSecret: undefined, dataDir });
    const second = await loadTokenKeys({ jwtSecret: undefined, dataDir });
    expect(first.kid).toBe(second.kid);
    const file = await stat(join(dataDir, 'jwt-secret'));
    expect(file.mode & 0o777).toBe(0o600);
    expect((await readFile(join(dataDir, 'jwt-secret'), 'utf8')).trim().length).toBeGreaterThanOrEqual(32);
  });

  it('agrees on one secret when many callers start at once', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateJwtSecret(dir)));
    expect(new Set(secrets).size).toBe(1);
  });

  it('refuses an empty secret file instead of silently replacing it', async () => {
    await writeFile(join(dir, 'jwt-secret'), '');
    await expect(loadOrCreateJwtSecret(dir)).rejects.toThrow(/empty/);
  });

  it('prefers key files and derives the algorithm from the key', async () => {
    const pair = generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    await writeFile(join(dir, 'private.pem'), pair.privateKey);
    await writeFile(join(dir, 'public.pem'), pair.publicKey);
    const signer = await loadTokenKeys({
      jwtSecret: 'x'.repeat(40),
      dataDir: dir,
      privateKeyPath: join(dir, 'private.pem'),
    });
    const verifier = await loadTokenKeys({
      jwtSecret: undefined,
      dataDir: dir,
      publicKeyPath: join(dir, 'public.pem'),
    });
    expect(signer.algorithm).toBe('EdDSA');
    expect(verifier.kid).toBe(signer.kid);
    await expect(
      loadTokenKeys({ jwtSecret: undefined, dataDir: dir, publicKeyPath: join(dir, 'missing.pem') }),
    ).rejects.toThrow(/cannot read token key file/);
  });
});
