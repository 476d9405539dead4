/**
 * A node:http agent for clients that do not use `fetch`: Slack's Web API client (axios) and its
 * Socket Mode WebSocket take an `agent` and ignore undici's dispatcher. The choice per connection is
 * the dispatcher's: NO_PROXY and loopback go direct; `https://` and `wss://` go through
 * a CONNECT tunnel to HTTPS_PROXY (else HTTP_PROXY), so TLS runs end to end and the proxy never sees
 * the bot token; `http://` goes to HTTP_PROXY in absolute form. `user:password@` in a proxy URL is
 * sent as `Proxy-Authorization: Basic`.
 */
import http from 'node:http';
import https from 'node:https';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { OutboundProxyConfig } from '../config/index.js';
import { goesDirect, parseNoProxy, type NoProxyEntry } from './no-proxy.js';

const loopback = 'localhost,127.0.0.1,[::1]';

/** Undefined without a proxy: the client then uses node's default agent. */
export function createOutboundHttpAgent(
  outboundProxy: OutboundProxyConfig | undefined,
): http.Agent | undefined {
  if (outboundProxy === undefined) return undefined;
  return new OutboundProxyRoutingAgent(
    outboundProxy,
    parseNoProxy(`${outboundProxy.noProxy ?? ''},${loopback}`),
  );
}

class OutboundProxyRoutingAgent extends Agent {
  readonly #direct = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  readonly #tunnel: http.Agent | undefined;
  readonly #forward: http.Agent | undefined;

  constructor(
    outboundProxy: OutboundProxyConfig,
    private readonly noProxy: NoProxyEntry[],
  ) {
    super({ keepAlive: true });
    const httpsProxy = outboundProxy.httpsProxy ?? outboundProxy.httpProxy;
    this.#tunnel =
      httpsProxy === undefined ? undefined : new HttpsProxyAgent(httpsProxy, { keepAlive: true });
    this.#forward =
      outboundProxy.httpProxy === undefined
        ? undefined
        : new HttpProxyAgent(outboundProxy.httpProxy, { keepAlive: true });
  }

  connect(_request: http.ClientRequest, options: AgentConnectOpts): http.Agent {
    const secure = options.secureEndpoint;
    const host = options.host ?? 'localhost';
    const port = options.port ?? (secure ? 443 : 80);
    const proxied = secure ? this.#tunnel : this.#forward;
    if (proxied === undefined || goesDirect(this.noProxy, host.includes(':') ? `[${host}]` : host, port)) {
      return secure ? this.#direct.https : this.#direct.http;
    }
    return proxied;
  }

  override destroy(): void {
    for (const agent of [this.#direct.http, this.#direct.https, this.#tunnel, this.#forward])
      agent?.destroy();
    super.destroy();
  }
}
