/**
 * Child process: the floor for any proxy written on Node, measured beside Loom so a reader can tell
 * the machine's share of the added latency from Loom's. It reads each request, forwards it to the
 * mock upstream with the provider key swapped in, through the same client Loom uses (undici's
 * dispatcher, keep-alive), and pipes the answer back: no authentication, metering, logging or
 * retries. (Until the eleventh session it used node:http's client and piped the request through; the
 * form here added less at p99 in every run where both ran.) Prints `{"ready": true, "url"}` once
 * listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { mockApiKey } from './mock-upstream.js';
// Records each call's phases when LOOM_BENCH_PHASES is set (slow-call-phases.ts); otherwise nothing.
import './call-phase-recorder.js';

const upstream = new URL(process.argv[2] as string);
const client = new Agent({ keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
const server = createServer((incoming, outgoing) => {
  const chunks: Buffer[] = [];
  incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
  incoming.on('end', () => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (typeof value === 'string' && !hopByHop.has(name)) headers[name] = value;
    }
    headers['x-api-key'] = mockApiKey;
    client
      .request({
        origin: upstream.origin,
        path: incoming.url ?? '/',
        method: (incoming.method ?? 'POST') as Dispatcher.HttpMethod,
        headers,
        body: Buffer.concat(chunks),
      })
      .then((answer) => {
        outgoing.writeHead(answer.statusCode, answer.headers);
        answer.body.pipe(outgoing);
      })
      .catch(() => outgoing.destroy());
  });
});
/** Headers undici sets itself (or refuses), and the client's own connection handling. */
const hopByHop = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}` })}\n`);
});
// The benchmark holds our stdin open; when it goes away (even killed), stdin ends and so do we.
process.stdin.on('end', () => process.exit(0));
// Stopped by the benchmark: exit through `exit` handlers (the phase recorder writes its file there).
process.on('SIGTERM', () => process.exit(0));
process.stdin.resume();
