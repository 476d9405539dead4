/** Mounts the LLM proxy at `/proxy` (DESIGN §4): the only place that holds provider keys. */
import { createProxyFromConfig } from '../../proxy/index.js';
import type { RouteFactory } from './start-services.js';

export const createProxyRoutes: RouteFactory = async ({ config, store, logger, registry }) => {
  const proxy = await createProxyFromConfig({ config, store, logger, registry });
  return {
    routes: [{ path: '/proxy', router: proxy.router }],
    // The native routes (SDK traffic, the hottest path) are served before express.
    direct: proxy.directRoutes,
    close: () => proxy.close(),
  };
};
