/**
 * `loom token create` as a real child process: it prints a token that the verifier (and a proxy built
 * from the same data directory) accepts, without Redis and without a running server.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAsymmetricTokenKeys, createTokenService, loadTokenKeys } from '../../src/auth/index.js';
import { openStore } from '../../src/store/index.js';

const run = promisify(execFile);
const loomBin = fileURLToPath(new URL('../../src/cli/loom.js', import.meta.url));

function cleanEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  // A closed port: the command must not need Redis (nor any server) to work.
  env.REDIS_URL = 'redis://127.0.0.1:9';
  return env;
}

async function loomToken(args: string[], env: Record<string, string>) {
  return run(process.execPath, [loomBin, 'token', 'create', ...args], {
    env: cleanEnvironment(env),
    timeout: 60_000,
  });
}

// Each test starts real `loom` processes (tsx compiles on start): generous timeouts for a busy machine.
describe('loom token create', { timeout: 120_000 }, () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'loom-token-cli-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints a token the verifier accepts, using a generated <dataDir>/jwt-secret (0600)', async () => {
    const { stdout } = await loomToken(
      [
        '--subject',
        'alice',
        '--role',
        'admin',
        '--ttl',
        '2h',
        '--budget-usd',
        '2.5',
        '--models',
        'claude-sonnet-4-6,gpt-4.1',
      ],
      { LOOM_DATA_DIR: dataDir },
    );
    const token = stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    expect((await stat(join(dataDir, 'jwt-secret'))).mode & 0o777).toBe(0o600);
    const verifier = createTokenService({ keys: await loadTokenKeys({ jwtSecret: undefined, dataDir }) });
    const claims = verifier.verify(token);
    expect(claims).toMatchObject({
      sub: 'alice',
      role: 'admin',
      budget_usd: 2.5,
      models: ['claude-sonnet-4-6', 'gpt-4.1'],
    });
    expect(claims.exp - claims.iat).toBe(7200);

    // A second run reuses the same secret, so earlier tokens stay valid.
    const second = (await loomToken(['--subject', 'bob'], { LOOM_DATA_DIR: dataDir })).stdout.trim();
    expect(verifier.verify(second).sub).toBe('bob');
  });

  it('signs with LOOM_JWT_SECRET when it is set', async () => {
    const secret = 'cli-test-secret-0123456789-0123456789-abc';
    const { stdout } = await loomToken(['--subject', 'svc', '--json'], {
      LOOM_DATA_DIR: dataDir,
      LOOM_JWT_SECRET: secret,
    });
    const printed = JSON.parse(stdout) as { token: string; claims: { jti: string } };
    const verifier = createTokenService({ keys: await loadTokenKeys({ jwtSecret: secret, dataDir }) });
    expect(verifier.verify(printed.token).jti).toBe(printed.claims.jti);
    await expect(stat(join(dataDir, 'jwt-secret'))).rejects.toThrow();
  });

  it('signs EdDSA with --private-key, verifiable with the public key alone', async () => {
    const pair = generateKeyPairSync('ed25519', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    await writeFile(join(dataDir, 'signing.pem'), pair.privateKey, { mode: 0o600 });
    const { stdout } = await loomToken(
      ['--subject', 'worker', '--private-key', join(dataDir, 'signing.pem')],
      { LOOM_DATA_DIR: dataDir },
    );
    const verifier = createTokenService({ keys: createAsymmetricTokenKeys({ publicKey: pair.publicKey }) });
    expect(verifier.verify(stdout.trim()).sub).toBe('worker');
  });

  it('signs RS256 with LOOM_JWT_PRIVATE_KEY_PATH, verifiable with LOOM_JWT_PUBLIC_KEY_PATH alone', async () => {
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    await writeFile(join(dataDir, 'jwt-private.pem'), pair.privateKey, { mode: 0o600 });
    await writeFile(join(dataDir, 'jwt-public.pem'), pair.publicKey);
    const { stdout } = await loomToken(['--subject', 'rsa-user'], {
      LOOM_DATA_DIR: dataDir,
      LOOM_JWT_PRIVATE_KEY_PATH: join(dataDir, 'jwt-private.pem'),
    });
    const token = stdout.trim();
    const header = JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString()) as {
      alg: string;
    };
    expect(header.alg).toBe('RS256');
    const keys = await loadTokenKeys({
      jwtSecret: undefined,
      dataDir,
      publicKeyPath: join(dataDir, 'jwt-public.pem'),
    });
    expect(createTokenService({ keys }).verify(token).sub).toBe('rsa-user');
    // No secret was generated: the key file replaced it.
    await expect(stat(join(dataDir, 'jwt-secret'))).rejects.toThrow();
  });

  it('revokes a token by jti in the local store', async () => {
    const { stdout } = await loomToken(['--subject', 'leaked', '--json'], { LOOM_DATA_DIR: dataDir });
    const { claims } = JSON.parse(stdout) as { claims: { jti: string } };
    const revoked = await run(process.execPath, [loomBin, 'token', 'revoke', claims.jti], {
      env: cleanEnvironment({ LOOM_DATA_DIR: dataDir }),
      timeout: 60_000,
    });
    expect(revoked.stdout).toContain(claims.jti);
    const store = await openStore({ dataDir });
    try {
      expect(await store.revocations.isRevoked(claims.jti)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('revokes a token given whole, as a user who found it leaked has it', async () => {
    const { stdout } = await loomToken(['--subject', 'leaked-whole', '--json'], { LOOM_DATA_DIR: dataDir });
    const { token, claims } = JSON.parse(stdout) as { token: string; claims: { jti: string } };
    const revoked = await run(process.execPath, [loomBin, 'token', 'revoke', token], {
      env: cleanEnvironment({ LOOM_DATA_DIR: dataDir }),
      timeout: 60_000,
    });
    expect(revoked.stdout.trim()).toBe(`revoked ${claims.jti}`);
    const store = await openStore({ dataDir });
    try {
      expect(await store.revocations.isRevoked(claims.jti)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('fails with a clear message for a bad ttl, role or subject', async () => {
    await expect(
      loomToken(['--subject', 'x', '--ttl', '99y'], { LOOM_DATA_DIR: dataDir }),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/invalid ttl/),
    });
    await expect(
      loomToken(['--subject', 'x', '--role', 'root'], { LOOM_DATA_DIR: dataDir }),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/user or admin/),
    });
    await expect(loomToken(['--subject', ' '], { LOOM_DATA_DIR: dataDir })).rejects.toMatchObject({
      stderr: expect.stringMatching(/'--subject <subject>' argument ' ' is invalid. must not be empty/),
    });
  });
});
