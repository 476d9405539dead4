/**
 * A node:http agent for clients that do not use `fetch`: Slack's Web API client (axios) and its
 * Socket Mode WebSocket take an `agent` and ignore undici's dispatcher. The choice per connection is
 * the dispatcher's: NO_PROXY and loopback go direct; `https://` and `wss://` go through a CONNECT
 * tunnel to HTTPS_PROXY (else HTTP_PROXY), so TLS runs end to end and the proxy never sees the bot
 * token; `http://` goes to HTTP_PROXY in absolute form. `user:password@` in a proxy URL is sent as
 * `Proxy-Authorization: Basic`.
 */
import http from 'node:http';
import https from 'node:https';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { OutboundProxyConfig } from '../config/index.js';
import { goesDirect, parseNoProxy, type NoProxyEntry } from './no-proxy.js';

const loopback = 'localhost,127.0.0.1,[::1]';

/** Node's agent entry point: not in @types/node, but what every agent implementation overrides. */
type AddRequest = (request: http.ClientRequest, options: http.RequestOptions) => void;

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

/**
 * agent-base for its `protocol`/`defaultPort` handling (one agent serves `http.request` and
 * `https.request`), but routing in `addRequest`, synchronously: the forwarding agent rewrites the
 * request line to absolute form there, and a client that renders its headers before a socket is
 * assigned (axios does) would otherwise send a relative path on every kept-alive connection.
 */
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

  addRequest(request: http.ClientRequest, options: http.RequestOptions): void {
    const secure = this.isSecureEndpoint(options as AgentConnectOpts);
    const chosen = this.#choose(secure, options.hostname ?? options.host ?? 'localhost', options.port);
    (chosen as unknown as { addRequest: AddRequest }).addRequest(request, options);
  }

  connect(_request: http.ClientRequest, options: AgentConnectOpts): http.Agent {
    // Not reached while `addRequest` routes; kept correct for agent-base's own path.
    return this.#choose(options.secureEndpoint, options.host ?? 'localhost', options.port);
  }

  #choose(secure: boolean, host: string, port: number | string | null | undefined): http.Agent {
    const proxied = secure ? this.#tunnel : this.#forward;
    const name = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    const portNumber = Number(port ?? 0) || (secure ? 443 : 80);
    if (proxied === undefined || goesDirect(this.noProxy, name, portNumber)) {
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
