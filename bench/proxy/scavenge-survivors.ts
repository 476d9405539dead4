/**
 * What the proxy leaves for V8's scavenger: runs one server (Loom's proxy as `loom start` wires it,
 * or the bare forwarder) with `--trace-gc-nvp` in front of the mock upstream, sends it calls one at
 * a time, and sums the scavenges of its main thread during the counted calls: how many, their pause,
 * and the bytes each copied within the young generation (`survived`) and promoted to the old one.
 * A server that keeps nothing between calls promotes next to nothing; bytes promoted on every
 * scavenge are objects something keeps past two of them (see specs/proxy.md, "Spread copies").
 *
 * Run: `node --import tsx bench/proxy/scavenge-survivors.ts [loom|bare] [--calls 10000]`
 * (`LOOM_BENCH_NODE_FLAGS` passes more V8/Node flags to the server). Not part of `npm run bench`:
 * a diagnosis, its figures are in specs/proxy.md.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { sendNativeCallsOneAtATime } from './sequential-native-calls.js';
import { repositoryRoot, spawnTsServer } from './spawn-bench-server.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { calls: { type: 'string', default: '10000' } },
});
const server = positionals[0] ?? 'loom';
if (server !== 'loom' && server !== 'bare') throw new Error(`unknown server ${server}: loom or bare`);
const calls = Number(values.calls);
/** The first calls warm V8 and the connection pools up; their scavenges are not counted. */
const warmUpCalls = Math.min(3000, Math.floor(calls / 3));
const countFrom = '=== counted calls start';

interface Scavenge {
  isolate: string;
  pauseMs: number;
  survivedBytes: number;
  promotedBytes: number;
}

async function main(): Promise<void> {
  const mock = await spawnTsServer('bench/proxy/mock-upstream-process.ts', ['50']);
  const script =
    server === 'loom' ? 'bench/proxy/loom-proxy-process.ts' : 'bench/proxy/bare-proxy-process.ts';
  const flags = process.env.LOOM_BENCH_NODE_FLAGS?.split(/\s+/).filter((flag) => flag !== '') ?? [];
  const child = spawn(process.execPath, ['--trace-gc-nvp', ...flags, '--import', 'tsx', script, mock.url], {
    cwd: repositoryRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let trace = '';
  try {
    const ready = await new Promise<Record<string, string>>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        trace += chunk.toString('utf8');
        const line = trace.split('\n').find((candidate) => candidate.startsWith('{"ready"'));
        if (line !== undefined) resolve(JSON.parse(line) as Record<string, string>);
      });
    });
    const path = server === 'loom' ? '/proxy/anthropic/v1/messages' : '/v1/messages';
    const token: Record<string, string> = server === 'loom' ? { 'x-api-key': ready.token as string } : {};
    await sendNativeCallsOneAtATime(new URL(`${ready.url}${path}`), token, calls, (index) => {
      if (index === warmUpCalls) trace += `\n${countFrom}\n`;
    });
  } finally {
    child.kill('SIGTERM');
    await mock.stop();
  }
  report(scavengesOf(trace.slice(trace.indexOf(countFrom))));
}

/** `[pid:0xisolate]  123 ms: pause=0.7 ... gc=s ... promoted=39217 new_space_survived=52293 ...` */
function scavengesOf(trace: string): Scavenge[] {
  const scavenges: Scavenge[] = [];
  for (const line of trace.split('\n')) {
    if (!line.includes(' gc=s ')) continue;
    const field = (name: string): number => Number(new RegExp(` ${name}=([0-9.]+)`).exec(line)?.[1] ?? NaN);
    scavenges.push({
      isolate: line.slice(0, line.indexOf(']') + 1),
      pauseMs: field('pause'),
      survivedBytes: field('new_space_survived'),
      promotedBytes: field('promoted'),
    });
  }
  // Worker threads (the usage writer, tsx's loader) have isolates of their own: the main thread's
  // is the one that scavenged most.
  const counts = new Map<string, number>();
  for (const scavenge of scavenges) counts.set(scavenge.isolate, (counts.get(scavenge.isolate) ?? 0) + 1);
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return scavenges.filter((scavenge) => scavenge.isolate === main);
}

function report(scavenges: Scavenge[]): void {
  const mean = (of: (scavenge: Scavenge) => number): number =>
    scavenges.reduce((sum, scavenge) => sum + of(scavenge), 0) / Math.max(1, scavenges.length);
  const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
  console.log(
    `${server}: ${calls - warmUpCalls} calls at concurrency 1 (after ${warmUpCalls} to warm up): ` +
      `${scavenges.length} scavenges of the main thread, pause ${mean((s) => s.pauseMs).toFixed(2)} ms ` +
      `(max ${Math.max(0, ...scavenges.map((s) => s.pauseMs)).toFixed(2)}), ` +
      `${kb(mean((s) => s.survivedBytes))} KB survived and ${kb(mean((s) => s.promotedBytes))} KB promoted each`,
  );
}

await main();
