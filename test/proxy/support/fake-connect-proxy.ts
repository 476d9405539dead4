/**
 * A loopback HTTP proxy that serves CONNECT tunnels and passes plain-HTTP requests on, as a company's
 * egress proxy (Squid and the like) does. Host names in `hosts` are resolved by the proxy, not by its client (here: `provider.test`,
 * which nothing else can resolve, to the fake provider's loopback address), so a call that arrives
 * proves it went through the tunnel. Optional Basic credentials are required on every CONNECT and every request passed on (407 without).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface FakeConnectProxy {
  url: string;
  /** Every CONNECT received, refused ones included: its target and headers. */
  connects: Array<{ target: string; headers: IncomingHttpHeaders }>;
  /** Every plain-HTTP request (absolute form), refused ones included: its URL and headers. */
  forwarded: Array<{ url: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export async function startFakeConnectProxy(options: {
  /** Host name → address the proxy connects to instead. */
  hosts: Record<string, string>;
  /** `user:password` required as `Proxy-Authorization: Basic`; undefined: none. */
  credentials?: string;
}): Promise<FakeConnectProxy> {
  const connects: FakeConnectProxy['connects'] = [];
  const sockets = new Set<Socket>();
  const forwarded: FakeConnectProxy['forwarded'] = [];
  // A plain-HTTP target comes as an absolute-form request (`GET http://host:port/path`): passed on.
  const expected =
    options.credentials === undefined
      ? undefined
      : `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '/', 'http://invalid');
    if (target.hostname === 'invalid') return void response.writeHead(405).end('not a proxy request');
    forwarded.push({ url: target.href, headers: request.headers });
    if (expected !== undefined && request.headers['proxy-authorization'] !== expected) {
      request.resume();
      return void response.writeHead(407, { 'proxy-authenticate': 'Basic realm="proxy"' }).end();
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: options.hosts[target.hostname] ?? target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: request.method,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    sockets.add(client);
    const target = request.url ?? '';
    connects.push({ target, headers: request.headers });
    if (expected !== undefined && request.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    const [host = '', port = ''] = target.split(':');
    const upstream = connect(Number(port), options.hosts[host] ?? host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    forwarded,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
