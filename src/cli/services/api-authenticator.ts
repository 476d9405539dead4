/**
 * How Loom's HTTP APIs (threads, chores) know who calls: the same tokens the proxy accepts
 * (`loom token create`), verified with the configured keys and checked against revocations.
 */
import { createTokenService, loadTokenKeys } from '../../auth/index.js';
import type { LoomConfig } from '../../config/index.js';
import type { Store } from '../../store/index.js';
import { createTokenAuthenticator } from '../../threads/index.js';

export async function createApiAuthenticator(
  config: Pick<LoomConfig, 'jwtSecret' | 'dataDir' | 'jwtKeyFiles'>,
  store: Pick<Store, 'revocations'>,
): Promise<ReturnType<typeof createTokenAuthenticator>> {
  const tokens = createTokenService({
    keys: await loadTokenKeys({
      jwtSecret: config.jwtSecret,
      dataDir: config.dataDir,
      ...config.jwtKeyFiles,
    }),
  });
  return createTokenAuthenticator({ tokens, revocations: store.revocations });
}
