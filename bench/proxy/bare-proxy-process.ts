/**
 * Child process: the floor for any proxy written on node:http, measured beside Loom so a reader can
 * tell the machine's share of the added latency from Loom's. It forwards each request to the mock
 * upstream over a keep-alive agent with the provider key swapped in, and pipes both bodies: no
 * authentication, metering, logging or retries. Prints `{"ready": true, "url"}` once listening.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockApiKey } from './mock-upstream.js';

const upstream = new URL(process.argv[2] as string);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const server = createServer((incoming, outgoing) => {
  const forwarded = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      path: incoming.url,
      method: incoming.method,
      headers: { ...incoming.headers, host: upstream.host, 'x-api-key': mockApiKey },
      agent,
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  forwarded.on('error', () => outgoing.destroy());
  incoming.pipe(forwarded);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}` })}\n`);
});
// The benchmark holds our stdin open; when it goes away (even killed), stdin ends and so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
