/**
 * Makes the configured outbound HTTP proxy the process's default for `fetch` (undici's global
 * dispatcher, which Node's built-in `fetch` uses too): GitHub's API through Octokit and Probot, and
 * any other `fetch` Loom makes. Called once by `loom start | server | worker` when HTTPS_PROXY or
 * HTTP_PROXY is set; nothing changes otherwise. Loom's own server (LOOM_PROXY_URL, LOOM_SERVER_URL)
 * and loopback stay direct, so workers never reach their own server through the company's proxy.
 * The worker's git gets the proxy through its own environment (`gitProxyEnvironment`). Not covered:
 * Slack's client (axios with its own agent).
 */
import { setGlobalDispatcher } from 'undici';
import type { LoomConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { createOutboundDispatcher, describeOutboundProxy } from './outbound-dispatcher.js';

export function installOutboundProxy(
  config: Pick<LoomConfig, 'outboundProxy' | 'proxyUrl' | 'server'>,
  logger: Logger,
): boolean {
  const { outboundProxy } = config;
  if (outboundProxy === undefined) return false;
  const ownHosts = [config.proxyUrl, config.server.url]
    .filter((url): url is string => url !== undefined)
    .map((url) => new URL(url).host);
  setGlobalDispatcher(createOutboundDispatcher({}, outboundProxy, ownHosts));
  logger.info(
    { outboundProxy: describeOutboundProxy(outboundProxy), direct: ownHosts },
    'outbound HTTP calls go through a proxy',
  );
  return true;
}
