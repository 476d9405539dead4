/**
 * Mounts the threads API at `/api/threads` (DESIGN §4), authenticated with the same tokens the proxy
 * accepts (`loom token create`): admin tokens read every thread, user tokens their own.
 */
import { createThreadsRouter } from '../../threads/index.js';
import { createApiAuthenticator } from './api-authenticator.js';
import type { RouteFactory } from './start-services.js';

export const createThreadsRoutes: RouteFactory = async ({ config, store, logger }) => {
  const authenticate = await createApiAuthenticator(config, store);
  return [
    { path: '/api/threads', router: createThreadsRouter({ threads: store.threads, authenticate, logger }) },
  ];
};
