import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

describe('loadConfig: token key files', () => {
  it('resolves LOOM_JWT_PRIVATE_KEY_PATH and LOOM_JWT_PUBLIC_KEY_PATH against the working directory', () => {
    const config = loadConfig(
      { LOOM_JWT_PRIVATE_KEY_PATH: 'keys/private.pem', LOOM_JWT_PUBLIC_KEY_PATH: '/etc/loom/public.pem' },
      { role: 'service', cwd: '/srv/loom' },
    );
    expect(config.jwtKeyFiles).toEqual({
      privateKeyPath: '/srv/loom/keys/private.pem',
      publicKeyPath: '/etc/loom/public.pem',
    });
  });

  it('leaves both unset by default (tokens use the secret)', () => {
    const config = loadConfig({}, { role: 'service', cwd: '/srv/loom' });
    expect(config.jwtKeyFiles).toEqual({ privateKeyPath: undefined, publicKeyPath: undefined });
  });
});
