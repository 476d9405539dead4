/**
 * A loopback HTTP proxy that serves CONNECT tunnels, as a company's egress proxy (Squid and the like)
 * does. Host names in `hosts` are resolved by the proxy, not by its client (here: `provider.test`,
 * which nothing else can resolve, to the fake provider's loopback address), so a call that arrives
 * proves it went through the tunnel. Optional Basic credentials are required on every CONNECT.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface FakeConnectProxy {
  url: string;
  /** Every CONNECT received, refused ones included: its target and headers. */
  connects: Array<{ target: string; headers: IncomingHttpHeaders }>;
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
  const server = createServer((_request, response) => {
    response.writeHead(405).end('this proxy only tunnels');
  });
  server.on('connect', (request, client: Socket, head: Buffer) => {
    sockets.add(client);
    const target = request.url ?? '';
    connects.push({ target, headers: request.headers });
    const expected =
      options.credentials === undefined
        ? undefined
        : `Basic ${Buffer.from(options.credentials).toString('base64')}`;
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
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
