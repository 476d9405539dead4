/**
 * Transports for a transport-free fake REST API (`handle(method, path, body, authorization)`): nock
 * for in-process tests, a loopback node:http server for child processes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';

export interface FakeAnswer {
  status: number;
  body: unknown;
}

export type FakeHandler = (
  method: string,
  path: string,
  body: unknown,
  authorization: string | undefined,
) => FakeAnswer;

/** Serves `handle` through nock for every request to `baseUrl`'s origin. */
export function mountWithNock(baseUrl: string, handle: FakeHandler): void {
  const origin = new URL(baseUrl).origin;
  for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
    nock(origin)
      .persist()
      .intercept(() => true, method)
      .reply(function reply(uri, requestBody) {
        const body =
          typeof requestBody === 'string' && requestBody !== ''
            ? (JSON.parse(requestBody) as unknown)
            : requestBody;
        const authorization = this.req.headers.authorization;
        const answer = handle(
          method,
          uri,
          body,
          typeof authorization === 'string' ? authorization : undefined,
        );
        return [answer.status, answer.body as nock.Body, { 'content-type': 'application/json' }];
      });
  }
}

/** Serves `handle` on a loopback port; resolves to the API base URL (`…/api/v3`). */
export async function listenOnLoopback(
  handle: FakeHandler,
): Promise<{ apiUrl: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const answer = handle(
        request.method ?? 'GET',
        request.url ?? '/',
        text === '' ? undefined : JSON.parse(text),
        request.headers.authorization,
      );
      response.writeHead(answer.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/v3`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
