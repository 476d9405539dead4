import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP forwarder standing in front of a real server, so a test can make the database
 * "go down" (stop: refuse new connections and cut open ones) and "come back" (start again on the
 * same port) without touching the shared PostgreSQL.
 */
export class TcpProxy {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  #port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return this.#port;
  }

  /** Listens on `port` (0: any free port, kept for later restarts). */
  async start(port = this.#port): Promise<void> {
    const server = createServer((client) => this.#forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    this.#port = typeof address === 'object' && address !== null ? address.port : port;
    this.#server = server;
  }

  /** Stops listening and destroys every forwarded connection. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #forward(client: Socket): void {
    const upstream = connect(this.targetPort, this.targetHost);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => this.#sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  }
}
