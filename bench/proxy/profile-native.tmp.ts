import { runLoad, percentile } from './load-generator.js';
import { mockApiKey } from './mock-upstream.js';
import { spawnTsServer } from './spawn-bench-server.js';
const mock = await spawnTsServer('bench/proxy/mock-upstream-process.ts', ['50']);
const profile = process.env.PROF;
const loom = await spawnTsServer('bench/proxy/loom-proxy-process.ts', [mock.url, 'sqlite'], 30_000, profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []);
const body = { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'benchmark prompt' }] };
const loomT = { name: 'loom', pid: loom.pid, url: `${loom.url}/proxy/anthropic/v1/messages`, headers: { 'anthropic-version': '2023-06-01', 'x-api-key': loom.info.token as string }, body, firstTokenMarker: 'x' };
const directT = { name: 'direct', pid: mock.pid, url: `${mock.url}/v1/messages`, headers: { 'anthropic-version': '2023-06-01', 'x-api-key': mockApiKey }, body, firstTokenMarker: 'x' };
await runLoad(loomT, { concurrency: 1, count: 300, stream: false });
await runLoad(directT, { concurrency: 1, count: 300, stream: false });
for (let r = 0; r < 3; r++) {
  const d = await runLoad(directT, { concurrency: 1, count: 1000, stream: false });
  const l = await runLoad(loomT, { concurrency: 1, count: 1000, stream: false });
  console.log(`direct p50 ${percentile(d.totalMs, 50).toFixed(2)} p99 ${percentile(d.totalMs, 99).toFixed(2)} | loom p50 ${percentile(l.totalMs, 50).toFixed(2)} p99 ${percentile(l.totalMs, 99).toFixed(2)} cpu ${l.cpuMsPerRequest?.toFixed(2)} | added p50 ${(percentile(l.totalMs, 50) - percentile(d.totalMs, 50)).toFixed(2)} p99 ${(percentile(l.totalMs, 99) - percentile(d.totalMs, 99)).toFixed(2)}`);
}
await loom.stop();
await mock.stop();
