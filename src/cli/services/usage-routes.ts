/**
 * Mounts the usage report at `/api/usage`, authenticated with the tokens the proxy accepts: admin
 * tokens read every subject's spending, other tokens their own.
 */
import { createUsageRouter } from '../../proxy/index.js';
import { createApiAuthenticator } from './api-authenticator.js';
import type { RouteFactory } from './start-services.js';

export const usageApiPath = '/api/usage';

export const createUsageRoutes: RouteFactory = async ({ config, store }) => {
  const authenticate = await createApiAuthenticator(config, store);
  return [{ path: usageApiPath, router: createUsageRouter({ usage: store.usage, authenticate }) }];
};
