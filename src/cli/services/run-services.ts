/**
 * `loom start | server | worker`: load the configuration, start the selected services, and stop them
 * cleanly on SIGTERM or SIGINT (a second signal exits at once).
 */
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../logging/index.js';
import { installOutboundProxy } from '../../outbound/index.js';
import { createGithubRoutes } from '../../../bots/github/index.js';
import { createProxyRoutes } from './proxy-routes.js';
import { createSlackRoutes } from './slack-routes.js';
import { createThreadsRoutes } from './threads-routes.js';
import { createUsageRoutes } from './usage-routes.js';
import { createChoresRoutes } from './chores-routes.js';
import { startServices, type ServiceSelection } from './start-services.js';

export type { ServiceSelection } from './start-services.js';

export async function runServices(selection: ServiceSelection): Promise<void> {
  const config = loadConfig(process.env, { role: 'service' });
  const logger = createLogger({ level: config.logLevel });
  // Before any client exists: GitHub's Octokit and every other `fetch` go through it from the start.
  installOutboundProxy(config, logger);
  for (const disabled of config.disabledIntegrations) {
    logger.info({ integration: disabled.integration }, `${disabled.integration} is off: ${disabled.reason}`);
  }
  const services = await startServices(config, selection, logger, [
    createProxyRoutes,
    createThreadsRoutes,
    createUsageRoutes,
    createChoresRoutes,
    createGithubRoutes,
    createSlackRoutes,
  ]);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  logger.info({ signal }, 'shutting down');
  const forceExit = () => {
    logger.warn('second signal: exiting now');
    process.exit(1);
  };
  process.once('SIGTERM', forceExit);
  process.once('SIGINT', forceExit);
  await services.close();
  logger.info('stopped');
}
