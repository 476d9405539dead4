/**
 * Benchmark of Loom's LLM proxy against a direct call and against `@portkey-ai/gateway` 1.15.2, all
 * on loopback against the same mock Anthropic upstream (each server in its own process):
 *   1. latency added to a non-streamed call, p50/p99, at concurrency 1, 16 and 64;
 *   2. time to the first streamed token, p50/p99, at concurrency 1;
 *   3. throughput with 200 concurrent streams.
 * Sections 1 and 2 run in blocks, the targets taking turns (see `rounds` and `settlingRounds`); section
 * 3 runs per target.
 * Portkey's streaming needs a work-around on this install (see portkey-process.ts).
 * Run: `node --import tsx bench/proxy/run-proxy-bench.ts [--quick] [--blocks]`. It stops every
 * process it started. `--blocks` also prints each block's figures (settling rounds negative) to stderr.
 */
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import type { Agent } from 'node:http';
import { createClientAgent, runLoad, percentile, type RunResult, type Target } from './load-generator.js';
import { formatCpu as cpu, formatMs as ms, printTable } from './report-format.js';
import { runInRounds, warmUpInTurns, type NamedTargets, type TurnTaking } from './taking-turns.js';
import { mockApiKey } from './mock-upstream.js';
import { nativeCallBody } from './native-call-request.js';
import { spawnTsServer, startPortkey, type BenchServer } from './spawn-bench-server.js';

const quick = process.argv.includes('--quick');
const printBlocks = process.argv.includes('--blocks');
const deltas = 50;
const scale = quick ? 0.1 : 1;
/**
 * Each run is split into `rounds` blocks, and the targets take turns block by block, so a change in
 * the machine's load during the run (it is shared) hits every target alike instead of the one whose
 * turn it happened to be. On a slower VM (eighteenth session) a proxy had spells of a second or two
 * in which its CPU per call doubled or tripled (the bare forwarder's 0.14 -> 0.52 ms, Loom's
 * 0.26 -> 0.98); with 5 rounds such a spell filled one or two blocks of a single target and decided
 * its p99. Ten shorter blocks spread the spells more evenly over the targets.
 */
const rounds = 10;
/**
 * Rounds run first and not counted. A warm-up per target, one after the other as before the
 * eighteenth session, left each server idle for the others' warm-ups (6-12 s), and V8 shrinks a
 * young generation whose allocation rate has dropped at the next scavenge (the bare forwarder's
 * went from ~8 MB to ~1 MB after 12 s idle: a scavenge every ~20 ms instead of every ~90 ms).
 * Before these rounds, the first two counted rounds ran with the
 * shrunken heap: per-block p99 of Loom native 2.56 and 1.27 ms, then 0.49, 0.64, 0.48; the bare
 * forwarder's CPU per block fell from 190 to 90 ms over the five. Taking turns for two rounds first
 * puts every target in the steady state of the rotation that is then timed.
 */
const settlingRounds = quick ? 1 : 2;
/**
 * At concurrency 1 a call takes well under a millisecond, but this VM's scheduling still puts a few
 * of them at 2-10 ms, so the p99 of 1 000 calls is the 10th slowest and moves by ±1 ms between
 * identical runs: 5 000 calls make the 50th slowest the p99.
 */
const latencyRuns = [
  { concurrency: 1, count: Math.ceil(5000 * scale) },
  { concurrency: 16, count: Math.ceil(2000 * scale) },
  { concurrency: 64, count: Math.ceil(4000 * scale) },
];
const ttftCount = Math.ceil(300 * scale);
/**
 * Each target is driven at least this long before it is timed, at the run's concurrency. A server's
 * first seconds are not its steady state: V8 is still compiling the hot paths and growing the young
 * generation, and on this VM the Loom proxy answered one call in ten in 2-8 ms during its first two
 * seconds against one in a hundred afterwards (the 300 calls of earlier runs were 0.2 s).
 */
const warmUpMs = quick ? 1000 : 3000;
/**
 * Before its first timed call, each target has also served at least this many (non-streamed calls,
 * at concurrency 1). V8 optimizes a server's hot code after enough calls, not after enough seconds,
 * and compiles it on a background thread that competes with the three busy processes for the two
 * cores: on a slower VM (eighteenth session) Loom's CPU per call fell from 2.4 ms over the first
 * thousand calls to 0.41 ms at 4 000, 0.33 at 10 000 and 0.28 from 13 000 on, with its p99 from
 * 9.9 ms to 1.0-1.2 ms (the bare forwarder, with less code, was steady from ~3 000). Three seconds
 * were ~4 000 calls there, so the counted calls measured a server still compiling, where a proxy
 * in service runs for hours.
 */
const firstWarmUpCalls = quick ? 3000 : 20_000;
const throughput = { concurrency: 200, count: Math.ceil(1000 * scale) };
const turns: TurnTaking = { rounds, settlingRounds, warmUpMs, printBlocks };

const nativeBody = nativeCallBody;
const normalizedBody = {
  model: 'default',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'benchmark prompt' }],
};

interface NamedTarget {
  latency: Target;
  stream: Target | { unavailable: string };
}

async function main(): Promise<void> {
  const started: BenchServer[] = [];
  try {
    const mock = await spawnTsServer('bench/proxy/mock-upstream-process.ts', [String(deltas)]);
    started.push(mock);
    // LOOM_BENCH_CPU_PROFILE=DIR writes a V8 CPU profile of the Loom proxy process there.
    const profile = process.env.LOOM_BENCH_CPU_PROFILE;
    const loom = await spawnTsServer(
      'bench/proxy/loom-proxy-process.ts',
      [mock.url, process.env.BENCH_LEDGER ?? 'sqlite'],
      30_000,
      [
        ...(profile === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`]),
        // LOOM_BENCH_NODE_FLAGS="--max-semi-space-size=32 …": V8/Node flags for the Loom process.
        ...(process.env.LOOM_BENCH_NODE_FLAGS?.split(/\s+/).filter((flag) => flag !== '') ?? []),
      ],
    );
    started.push(loom);
    const bare = await spawnTsServer('bench/proxy/bare-proxy-process.ts', [mock.url]);
    started.push(bare);
    const portkey = await startPortkey(await freePort());
    if ('url' in portkey) started.push(portkey);
    const targets = await buildTargets(mock, loom, bare, portkey);
    const load = loadavg()
      .map((value) => value.toFixed(1))
      .join(' ');
    const schedule =
      `targets warmed up in turns (${firstWarmUpCalls} calls each at least), then taking turns in ` +
      `${settlingRounds} uncounted and ${rounds} counted rounds`;
    console.log(
      `proxy benchmark: node ${process.version}, ${cpus().length} cores, load average ${load}, ` +
        `mock upstream streams ${deltas} deltas, ${schedule}${quick ? ', --quick' : ''}`,
    );
    if ('unavailable' in portkey) console.log(`portkey: not measured: ${portkey.unavailable}`);
    await latencySection(targets);
    await streamSections(targets);
    console.log(
      `\nload average at the end: ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    for (const server of started.reverse()) await server.stop();
  }
}

async function buildTargets(
  mock: BenchServer,
  loom: BenchServer,
  bare: BenchServer,
  portkey: BenchServer | { unavailable: string },
) {
  const version = { 'anthropic-version': '2023-06-01' };
  const native = (
    name: string,
    url: string,
    headers: Record<string, string>,
    pid: number | undefined,
  ): Target => ({
    name,
    pid,
    url,
    headers: { ...version, ...headers },
    body: nativeBody,
    firstTokenMarker: 'content_block_delta',
  });
  const loomToken = { 'x-api-key': loom.info.token as string };
  const targets: Record<string, NamedTarget> = {
    direct: both(native('direct', `${mock.url}/v1/messages`, { 'x-api-key': mockApiKey }, mock.pid)),
    // The floor of a Node proxy on this machine (bare-proxy-process.ts): what no proxy here beats.
    'bare proxy': both(native('bare proxy', `${bare.url}/v1/messages`, {}, bare.pid)),
    'loom native': both(
      native('loom native', `${loom.url}/proxy/anthropic/v1/messages`, loomToken, loom.pid),
    ),
    'loom normalized': {
      latency: {
        name: 'loom normalized',
        pid: loom.pid,
        url: `${loom.url}/proxy/anthropic/complete`,
        headers: loomToken,
        body: normalizedBody,
        firstTokenMarker: 'text_delta',
      },
      stream: {
        name: 'loom normalized',
        pid: loom.pid,
        url: `${loom.url}/proxy/anthropic/stream`,
        headers: loomToken,
        body: normalizedBody,
        firstTokenMarker: 'text_delta',
      },
    },
  };
  if ('url' in portkey) {
    const headers = {
      'x-portkey-provider': 'anthropic',
      'x-portkey-custom-host': `${mock.url}/v1`,
      'x-api-key': mockApiKey,
    };
    const target = native('portkey', `${portkey.url}/v1/messages`, headers, portkey.pid);
    targets.portkey = { latency: target, stream: await probeStream(target) };
  }
  return targets;
}

function both(target: Target): NamedTarget {
  return { latency: target, stream: target };
}

/** One streamed request first: a gateway that cannot stream is reported, not timed. */
async function probeStream(target: Target): Promise<Target | { unavailable: string }> {
  const probe = await runLoad(target, { concurrency: 1, count: 1, stream: true });
  return probe.errors === 0
    ? target
    : { unavailable: `streaming fails here (${probe.firstError ?? 'unknown error'})` };
}

async function latencySection(targets: Record<string, NamedTarget>): Promise<void> {
  console.log('\n1. Non-streamed call latency (ms), and what the proxy adds to a direct call');
  const rows: string[][] = [];
  const failures: string[] = [];
  for (const [index, run] of latencyRuns.entries()) {
    let direct: RunResult | undefined;
    const entries = Object.entries(targets).map(([name, target]) => [name, target.latency] as const);
    const agents = clientAgents(entries, run.concurrency);
    const minCalls = index === 0 ? firstWarmUpCalls : 0;
    await warmUpInTurns(entries, { concurrency: run.concurrency, stream: false, minCalls }, agents, turns);
    const results = await runInRounds(entries, { ...run, stream: false }, agents, turns);
    for (const agent of agents.values()) agent.destroy();
    for (const [name] of entries) {
      const result = results.get(name) as RunResult;
      direct ??= result;
      rows.push([
        String(run.concurrency),
        name,
        ms(percentile(result.totalMs, 50)),
        ms(percentile(result.totalMs, 99)),
        name === 'direct' ? '-' : ms(percentile(result.totalMs, 50) - percentile(direct.totalMs, 50)),
        name === 'direct' ? '-' : ms(percentile(result.totalMs, 99) - percentile(direct.totalMs, 99)),
        String(Math.round((result.totalMs.length / result.wallMs) * 1000)),
        cpu(result),
        String(result.errors),
      ]);
      if (result.firstError !== undefined)
        failures.push(`conc ${run.concurrency} ${name}: ${result.firstError}`);
    }
  }
  printTable(
    ['conc', 'target', 'p50', 'p99', 'added p50', 'added p99', 'req/s', 'cpu ms/req', 'errors'],
    rows,
  );
  console.log(
    `loom normalized answers /complete from a provider stream (${deltas + 5} events read and translated); ` +
      'the others relay one JSON answer: loom native is the like-for-like comparison with portkey.',
  );
  printFailures(failures);
}

/** A count of errors says nothing of their cause: the first error of each row that had any. */
function printFailures(failures: string[]): void {
  for (const failure of failures) console.log(`first error, ${failure}`);
}

async function streamSections(targets: Record<string, NamedTarget>): Promise<void> {
  console.log(`\n2. Time to first streamed token (ms), concurrency 1, ${ttftCount} streams`);
  const ttftRows: string[][] = [];
  const throughputRows: string[][] = [];
  const failures: string[] = [];
  let direct: RunResult | undefined;
  const streamable: Array<readonly [string, Target]> = [];
  for (const [name, target] of Object.entries(targets)) {
    if ('unavailable' in target.stream) continue;
    streamable.push([name, target.stream]);
  }
  const agents = clientAgents(streamable, 1);
  await warmUpInTurns(streamable, { concurrency: 1, stream: true, minCalls: 0 }, agents, turns);
  const ttfts = await runInRounds(
    streamable,
    { concurrency: 1, count: ttftCount, stream: true },
    agents,
    turns,
  );
  for (const agent of agents.values()) agent.destroy();
  for (const [name, target] of Object.entries(targets)) {
    if ('unavailable' in target.stream) {
      ttftRows.push([name, 'n/a', 'n/a', 'n/a', 'n/a', target.stream.unavailable]);
      throughputRows.push([name, 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', target.stream.unavailable]);
      continue;
    }
    const ttft = ttfts.get(name) as RunResult;
    direct ??= ttft;
    const added = (p: number) =>
      name === 'direct' ? '-' : ms(percentile(ttft.firstTokenMs, p) - percentile(direct!.firstTokenMs, p));
    ttftRows.push([
      name,
      ms(percentile(ttft.firstTokenMs, 50)),
      ms(percentile(ttft.firstTokenMs, 99)),
      added(50),
      added(99),
      String(ttft.errors),
    ]);
    if (ttft.firstError !== undefined) failures.push(`first token ${name}: ${ttft.firstError}`);
    const load = await runLoad(target.stream, { ...throughput, stream: true });
    const perSecond = (load.totalMs.length / load.wallMs) * 1000;
    throughputRows.push([
      name,
      perSecond.toFixed(0),
      String(Math.round(perSecond * deltas)),
      ms(percentile(load.totalMs, 99)),
      (((load.bytes / load.wallMs) * 1000) / 1024 / 1024).toFixed(1),
      cpu(load),
      String(load.errors),
    ]);
    if (load.firstError !== undefined) failures.push(`throughput ${name}: ${load.firstError}`);
  }
  printTable(['target', 'p50', 'p99', 'added p50', 'added p99', 'errors'], ttftRows);
  console.log(
    `\n3. Throughput, ${throughput.concurrency} concurrent streams, ${throughput.count} streams of ${deltas} deltas`,
  );
  printTable(
    ['target', 'streams/s', 'deltas/s', 'p99 stream ms', 'MiB/s', 'cpu ms/stream', 'errors'],
    throughputRows,
  );
  printFailures(failures);
}

/**
 * One connection pool per target, opened by the warm-up and kept through the timed blocks, as a
 * client of a proxy keeps its keep-alive connections. Fresh connections per block made each block
 * start with a burst of `concurrency` connects, which a saturated Node server accepts one per
 * event-loop turn: native's p99 at concurrency 64 was then ~100 ms on some machines (see
 * connection-burst-probe.ts and specs/proxy.md).
 */
function clientAgents(entries: NamedTargets, concurrency: number): Map<string, Agent> {
  return new Map(entries.map(([name]) => [name, createClientAgent(concurrency)]));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

await main();
