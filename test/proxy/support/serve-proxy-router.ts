/**
 * Serves a proxy router (as `createProxyFromConfig` builds it) under `/proxy` on an express app on a
 * loopback port: for tests of the proxy wired from configuration rather than by `startProxy`.
 */
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';

export async function serveProxyRouter(router: Router): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use('/proxy', router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
