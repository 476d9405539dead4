/**
 * Mounts the threads API at `/api/threads` (DESIGN §4), authenticated with the same tokens the proxy
 * accepts (`loom token create`): admin tokens read every thread, user tokens their own.
 */
import { createTokenService, loadTokenKeys } from '../../auth/index.js';
import { createThreadsRouter, createTokenAuthenticator } from '../../threads/index.js';
import type { RouteFactory } from './start-services.js';

export const createThreadsRoutes: RouteFactory = async ({ config, store, logger }) => {
  const tokens = createTokenService({
    keys: await loadTokenKeys({
      jwtSecret: config.jwtSecret,
      dataDir: config.dataDir,
      ...config.jwtKeyFiles,
    }),
  });
  const authenticate = createTokenAuthenticator({ tokens, revocations: store.revocations });
  return [
    { path: '/api/threads', router: createThreadsRouter({ threads: store.threads, authenticate, logger }) },
  ];
};
