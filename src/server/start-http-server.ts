/**
 * Listens on one port and closes gracefully: stop accepting, let in-flight requests finish up to a
 * timeout, close idle keep-alive connections at once (and busy ones as soon as their response is
 * done), then destroy whatever is left.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { LoomError } from '../errors/index.js';

export interface StartHttpServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Interface to bind; all interfaces by default. */
  host?: string;
}

export interface RunningHttpServer {
  /** Base URL that reaches the server from this machine, e.g. `http://127.0.0.1:3000`. */
  url: string;
  port: number;
  /** Graceful close; resolves once every connection is gone (forcibly after `timeoutMs`). */
  close(timeoutMs: number): Promise<void>;
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export async function startHttpServer(
  app: RequestListener,
  options: StartHttpServerOptions,
): Promise<RunningHttpServer> {
  const server = createServer();
  /** Open connections and how many requests each is serving now. */
  const connections = new Map<Socket, number>();
  let closing = false;

  server.on('connection', (socket) => {
    connections.set(socket, 0);
    socket.once('close', () => connections.delete(socket));
  });
  // Registered before the app so `Connection: close` is set before any handler writes headers.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    connections.set(socket, (connections.get(socket) ?? 0) + 1);
    if (closing) res.setHeader('Connection', 'close');
    res.once('close', () => {
      const current = connections.get(socket);
      if (current === undefined) return; // the socket is gone already
      const active = current - 1;
      connections.set(socket, active);
      if (closing && active === 0) socket.end();
    });
  });
  server.on('request', app);

  await listen(server, options);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;

  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    async close(timeoutMs) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, active] of connections) if (active === 0) socket.destroy();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([closed, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        for (const socket of connections.keys()) socket.destroy();
        await closed;
      }
    },
  };
}

function listen(server: ReturnType<typeof createServer>, options: StartHttpServerOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      const where = `${options.host ?? '*'}:${options.port}`;
      if (error.code === 'EADDRINUSE') {
        reject(new LoomError('config_invalid', `Port ${where} is already in use: set PORT to a free port`));
      } else
        reject(new LoomError('internal', `Cannot listen on ${where}: ${error.message}`, { cause: error }));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, options.host);
  });
}

function urlHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
