/**
 * Makes the configured outbound HTTP proxy the process's default for `fetch` (undici's global
 * dispatcher, which Node's built-in `fetch` uses too): GitHub's API through Octokit and Probot, the
 * provider SDKs of `loom run`, and any other `fetch` Loom makes. Called once at start-up by the
 * services (`loom start | server | worker`) and by the CLI commands that call out (`loom run`, the
 * REPL, `loom threads`, `loom chores`) when HTTPS_PROXY or HTTP_PROXY is set; nothing changes
 * otherwise. The services also keep their own server (LOOM_PROXY_URL, LOOM_SERVER_URL) direct, so
 * a worker never reaches its own server through the company's proxy; the CLI, usually on a laptop,
 * reaches a server like any other host, through the proxy unless NO_PROXY names it. Not covered
 * here: the worker's git (`gitProxyEnvironment`) and Slack's client (`createOutboundHttpAgent`).
 */
import { setGlobalDispatcher } from 'undici';
import type { LoomConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { createOutboundDispatcher, describeOutboundProxy } from './outbound-dispatcher.js';

export interface InstallOutboundProxyOptions {
  /** Reach LOOM_PROXY_URL and LOOM_SERVER_URL directly (the services; default true). */
  ownServerDirect?: boolean;
}

export function installOutboundProxy(
  config: Pick<LoomConfig, 'outboundProxy' | 'proxyUrl' | 'server'>,
  logger: Logger,
  options: InstallOutboundProxyOptions = {},
): boolean {
  const { outboundProxy } = config;
  if (outboundProxy === undefined) return false;
  const ownHosts =
    options.ownServerDirect === false
      ? []
      : [config.proxyUrl, config.server.url]
          .filter((url): url is string => url !== undefined)
          .map((url) => new URL(url).host);
  setGlobalDispatcher(createOutboundDispatcher({}, outboundProxy, ownHosts));
  logger.info(
    { outboundProxy: describeOutboundProxy(outboundProxy), direct: ownHosts },
    'outbound HTTP calls go through a proxy',
  );
  return true;
}
