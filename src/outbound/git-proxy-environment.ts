/**
 * The outbound proxy as git (libcurl) reads it, for the worker's mirror, whose git runs with an
 * environment built from scratch. libcurl honours only the lower-case `http_proxy`; `https_proxy`
 * falls back to the HTTP proxy as undici does for Loom's other calls, and loopback is always direct.
 */
import type { OutboundProxyConfig } from '../config/index.js';

export function gitProxyEnvironment(outboundProxy: OutboundProxyConfig | undefined): Record<string, string> {
  if (outboundProxy === undefined) return {};
  const https = outboundProxy.httpsProxy ?? outboundProxy.httpProxy;
  const noProxy = [outboundProxy.noProxy ?? '', 'localhost', '127.0.0.1', '::1']
    .filter((entry) => entry !== '')
    .join(',');
  return {
    ...(outboundProxy.httpProxy === undefined ? {} : { http_proxy: outboundProxy.httpProxy }),
    ...(https === undefined ? {} : { https_proxy: https }),
    no_proxy: noProxy,
  };
}
