/**
 * Finds the key material for tokens, in this order: key files (asymmetric), `LOOM_JWT_SECRET`, or a
 * random secret kept in `<dataDir>/jwt-secret` (created once with mode 0600), so `loom token create`
 * and the server on one machine agree without any setup.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isLoomError, LoomError } from '../errors/index.js';
import { createAsymmetricTokenKeys, createSecretTokenKeys, type TokenKeys } from './token-keys.js';

export interface LoadTokenKeysOptions {
  /** `LOOM_JWT_SECRET`, when set. */
  jwtSecret: string | undefined;
  /** Where the generated secret lives when no secret and no key files are configured. */
  dataDir: string;
  /** PEM private key (Ed25519, RSA or P-256): signs, and verifies through its public half. */
  privateKeyPath?: string | undefined;
  /** PEM public key: enough for a verify-only server. */
  publicKeyPath?: string | undefined;
}

export const jwtSecretFileName = 'jwt-secret';

export async function loadTokenKeys(options: LoadTokenKeysOptions): Promise<TokenKeys> {
  if (options.privateKeyPath !== undefined || options.publicKeyPath !== undefined) {
    return createAsymmetricTokenKeys({
      privateKey:
        options.privateKeyPath === undefined ? undefined : await readKeyFile(options.privateKeyPath),
      publicKey: options.publicKeyPath === undefined ? undefined : await readKeyFile(options.publicKeyPath),
    });
  }
  if (options.jwtSecret !== undefined) return createSecretTokenKeys(options.jwtSecret);
  return createSecretTokenKeys(await loadOrCreateJwtSecret(options.dataDir));
}

/**
 * Reads `<dataDir>/jwt-secret`, creating it with a fresh random secret when it does not exist. The
 * exclusive create (`wx`) makes two processes starting at once agree on the first writer's secret.
 */
export async function loadOrCreateJwtSecret(dataDir: string): Promise<string> {
  const path = join(dataDir, jwtSecretFileName);
  const existing = await readSecretFile(path);
  if (existing !== undefined) return existing;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString('base64url');
  try {
    await writeFile(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readSecretFile(path);
    if (winner === undefined) throw new LoomError('internal', `${path} exists but is empty`);
    return winner;
  }
}

async function readSecretFile(path: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    // An empty file is what a crash between create and write leaves: treat it as a real problem.
    if (text === '')
      throw new LoomError('config_invalid', `${path} is empty: delete it to generate a new secret`);
    return text;
  } catch (error) {
    if (isLoomError(error)) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new LoomError('config_invalid', `cannot read token key file ${path}`, { cause: error });
  }
}
