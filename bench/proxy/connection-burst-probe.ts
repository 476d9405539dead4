/**
 * Probe (not part of `npm run bench`) for what a burst of new connections costs on a busy proxy:
 * each run opens 64 fresh connections at once and keeps them saturated. On the Loom proxy the first
 * request of the last ~10-40 of them answers after 100-200 ms, the slow ones ~5 ms apart, while the
 * mock upstream served directly (or a bare 20-line node proxy, cheaper per call) shows none. Why:
 * since libuv 1.45 (Node 20) a server accepts one connection per event-loop turn (libuv PR #3696
 * "unix: don't accept() connections in a loop"; strace shows Loom's accept4 calls ~5 ms apart under
 * load, never EAGAIN), and a turn of a saturated proxy serves every ready socket: ~5 ms at
 * concurrency 64. The proxy benchmark keeps its client connections across blocks for that reason.
 * Prints, per run of 800 calls at concurrency 64, the calls over 100 ms: when they started, how long
 * they took, which connection (in opening order) carried them.
 */
import { Agent, request } from 'node:http';
import { mockApiKey } from './mock-upstream.js';
import { nativeCallRequest } from './native-call-request.js';
import { spawnTsServer } from './spawn-bench-server.js';

const concurrency = 64;
const callsPerRun = 800;
const mock = await spawnTsServer('bench/proxy/mock-upstream-process.ts', ['50']);
const direct = process.argv[2] === 'direct';
const loom = direct ? undefined : await spawnTsServer('bench/proxy/loom-proxy-process.ts', [mock.url]);
const url = new URL(loom ? `${loom.url}/proxy/anthropic/v1/messages` : `${mock.url}/v1/messages`);
const { body, headers } = nativeCallRequest({
  'x-api-key': loom ? (loom.info.token as string) : mockApiKey,
});

interface Call {
  startedMs: number;
  tookMs: number;
  connection: number;
}

async function run(count: number): Promise<Call[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const runStarted = performance.now();
  const calls: Call[] = [];
  let issued = 0;
  const connection = async (index: number): Promise<void> => {
    while (issued < count) {
      issued += 1;
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const outgoing = request(url, { method: 'POST', headers, agent }, (response) => {
          response.resume();
          response.once('end', resolve);
        });
        outgoing.once('error', reject);
        outgoing.end(body);
      });
      calls.push({ startedMs: started - runStarted, tookMs: performance.now() - started, connection: index });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => connection(index)));
  agent.destroy();
  return calls;
}

try {
  const warmUpUntil = Date.now() + 3000;
  while (Date.now() < warmUpUntil) await run(500);
  for (let index = 0; index < 8; index += 1) {
    const slow = (await run(callsPerRun)).filter((call) => call.tookMs > 100);
    const shown = slow
      .slice(0, 6)
      .map(
        (call) => `#${call.connection} at ${call.startedMs.toFixed(0)} ms took ${call.tookMs.toFixed(0)} ms`,
      );
    console.log(
      `run ${index}: ${slow.length} calls over 100 ms${shown.length ? `: ${shown.join(', ')}` : ''}`,
    );
  }
} finally {
  await loom?.stop();
  await mock.stop();
}
