/**
 * Mounts the Slack app: HTTP events at `POST /slack/events`, or a Socket Mode connection when
 * SLACK_APP_TOKEN is set (then no route is needed, but the connection lives as long as the server).
 */
import { createSlackApp } from '../../../bots/slack/index.js';
import type { RouteFactory } from './start-services.js';

export const createSlackRoutes: RouteFactory = async ({ config, store, queue, logger }) => {
  if (config.slack === undefined) return [];
  const slackApp = createSlackApp({
    slack: config.slack,
    store,
    queue,
    logger,
    outboundProxy: config.outboundProxy,
    ...(config.policyFile === undefined ? {} : { policyFile: config.policyFile }),
    ...(config.github === undefined
      ? {}
      : { githubHosts: ['github.com', new URL(config.github.gitUrl).host] }),
  });
  await slackApp.start();
  return { routes: slackApp.routes, close: () => slackApp.stop() };
};
