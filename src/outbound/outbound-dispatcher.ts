/**
 * An undici dispatcher for calls leaving Loom: a keep-alive pool per origin, through the configured
 * outbound HTTP proxy when there is one (HTTPS_PROXY / HTTP_PROXY, NO_PROXY). A call through the
 * proxy is a CONNECT tunnel, so TLS still runs end to end with the server called, whose certificate
 * is verified as on a direct call; `user:password@` in the proxy URL is sent as
 * `Proxy-Authorization: Basic`. Loopback addresses, and any `directHosts` the caller names (Loom's
 * own server), are always reached directly.
 */
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { OutboundProxyConfig } from '../config/index.js';

const loopback = ['localhost', '127.0.0.1', '[::1]'];

export function createOutboundDispatcher(
  pool: Agent.Options,
  outboundProxy: OutboundProxyConfig | undefined,
  directHosts: string[] = [],
): Dispatcher {
  if (outboundProxy === undefined) return new Agent(pool);
  const noProxy = [outboundProxy.noProxy ?? '', ...loopback, ...directHosts]
    .filter((entry) => entry !== '')
    .join(',');
  return new EnvHttpProxyAgent({
    ...pool,
    // Given explicitly (empty: none), so undici never falls back to reading the environment itself:
    // the configuration was read once, at start-up.
    httpProxy: outboundProxy.httpProxy ?? '',
    // Empty, undici sends https:// calls through the HTTP proxy too (curl would go direct).
    httpsProxy: outboundProxy.httpsProxy ?? '',
    noProxy,
  });
}

/** The proxy's address for a log line: its origin, never the credentials in it. */
export function describeOutboundProxy(outboundProxy: OutboundProxyConfig): Record<string, string> {
  const origin = (url: string | undefined): string | undefined =>
    url === undefined ? undefined : new URL(url).origin;
  return Object.fromEntries(
    Object.entries({
      https: origin(outboundProxy.httpsProxy),
      http: origin(outboundProxy.httpProxy),
      noProxy: outboundProxy.noProxy,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
