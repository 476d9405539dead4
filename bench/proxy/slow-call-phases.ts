/**
 * Where the proxy's slow calls spend their time. Runs one server (Loom's proxy as `loom start` wires
 * it, or the bare forwarder) in front of the mock upstream, sends it calls one at a time, and splits
 * each call into phases from the server's own record of it (call-phase-recorder.ts) and the
 * client's times, all on the machine's monotonic clock:
 *
 *   to server        the client starts the call -> the server has read its headers
 *   before upstream  -> the upstream call is created (token, body, budget, rate limit)
 *   upstream request written  -> undici has written the request's headers to the socket
 *   upstream         -> the upstream's headers are in (the mock's time and both hops)
 *   upstream body    -> the upstream's body is in
 *   answer written   -> the answer is handed to the kernel
 *   to client        -> the client has read the whole answer
 *
 * For each call slower than `--slow-ms` it names the phase that ran longest over its median, and
 * whether one of the server's GC pauses fell inside the call. A phase that waited on another process
 * (`upstream`, `to client`) with no GC of the server's points at the machine's scheduling.
 *
 * Run: `node --import tsx bench/proxy/slow-call-phases.ts [loom|bare] [--calls 10000] [--slow-ms 2]
 * [--ledger sqlite|memory]` (where Loom meters: its SQLite store, or memory)
 * (`LOOM_BENCH_NODE_FLAGS` passes V8/Node flags to the server). Not part of `npm run bench`: it is a
 * diagnosis, its figures are in specs/proxy.md.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CallMoment, PhaseRecording } from './call-phase-recorder.js';
import { percentile } from './load-generator.js';
import { sendNativeCallsOneAtATime, type ClientCall } from './sequential-native-calls.js';
import { spawnTsServer, type BenchServer } from './spawn-bench-server.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    calls: { type: 'string', default: '10000' },
    'slow-ms': { type: 'string', default: '2' },
    ledger: { type: 'string', default: 'sqlite' },
  },
});
const server = positionals[0] ?? 'loom';
if (server !== 'loom' && server !== 'bare') throw new Error(`unknown server ${server}: loom or bare`);
const calls = Number(values.calls);
const slowMs = Number(values['slow-ms']);
/** The first calls warm V8 and the connection pools up; they are sent but not counted. */
const warmUpCalls = Math.min(3000, Math.floor(calls / 3));

const phases: Array<{ name: string; from: CallMoment | 'clientStart'; to: CallMoment | 'clientEnd' }> = [
  { name: 'to server', from: 'clientStart', to: 'requestStarted' },
  { name: 'before upstream', from: 'requestStarted', to: 'upstreamCreated' },
  { name: 'upstream request written', from: 'upstreamCreated', to: 'upstreamSent' },
  { name: 'upstream', from: 'upstreamSent', to: 'upstreamAnswered' },
  { name: 'upstream body', from: 'upstreamAnswered', to: 'upstreamFinished' },
  { name: 'answer written', from: 'upstreamFinished', to: 'answerSent' },
  { name: 'to client', from: 'answerSent', to: 'clientEnd' },
];

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'loom-call-phases-'));
  const recordingFile = join(workDir, 'phases.json');
  const started: BenchServer[] = [];
  let clientCalls: ClientCall[];
  try {
    const mock = await spawnTsServer('bench/proxy/mock-upstream-process.ts', ['50']);
    started.push(mock);
    // Only the measured server records: the variable reaches it through the environment it inherits.
    process.env.LOOM_BENCH_PHASES = recordingFile;
    const flags = process.env.LOOM_BENCH_NODE_FLAGS?.split(/\s+/).filter((flag) => flag !== '') ?? [];
    const target =
      server === 'loom'
        ? await spawnTsServer('bench/proxy/loom-proxy-process.ts', [mock.url, values.ledger], 30_000, flags)
        : await spawnTsServer('bench/proxy/bare-proxy-process.ts', [mock.url], 30_000, flags);
    delete process.env.LOOM_BENCH_PHASES;
    started.push(target);
    const path = server === 'loom' ? '/proxy/anthropic/v1/messages' : '/v1/messages';
    const token: Record<string, string> =
      server === 'loom' ? { 'x-api-key': target.info.token as string } : {};
    clientCalls = await sendNativeCallsOneAtATime(new URL(`${target.url}${path}`), token, calls);
    for (const running of started.reverse()) await running.stop();
    started.length = 0;
    const recording = JSON.parse(await readFile(recordingFile, 'utf8')) as PhaseRecording;
    report(clientCalls.slice(warmUpCalls), recording, warmUpCalls);
  } finally {
    for (const running of started.reverse()) await running.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

function report(counted: ClientCall[], recording: PhaseRecording, offset: number): void {
  const moment = (name: CallMoment | 'clientStart' | 'clientEnd', index: number): number => {
    if (name === 'clientStart') return (counted[index] as ClientCall).startMs;
    if (name === 'clientEnd') return (counted[index] as ClientCall).endMs;
    return recording.moments[name][index + offset] as number;
  };
  const durations = phases.map((phase) =>
    counted.map((_, index) => moment(phase.to, index) - moment(phase.from, index)),
  );
  const totals = counted.map((call) => call.endMs - call.startMs);
  const medians = durations.map((values) => percentile(values, 50));
  console.log(`${server}: ${counted.length} calls at concurrency 1 (after ${offset} to warm up)`);
  console.log('\n| phase | p50 ms | p99 ms |\n|---|---|---|');
  phases.forEach((phase, index) =>
    console.log(
      `| ${phase.name} | ${ms(medians[index])} | ${ms(percentile(durations[index] as number[], 99))} |`,
    ),
  );
  console.log(`| whole call | ${ms(percentile(totals, 50))} | ${ms(percentile(totals, 99))} |`);

  const window = { from: (counted[0] as ClientCall).startMs, to: (counted.at(-1) as ClientCall).endMs };
  const gcs = recording.gcs.filter((gc) => gc.startMs >= window.from && gc.startMs <= window.to);
  const blame = new Map<string, number>();
  let slow = 0;
  counted.forEach((call, index) => {
    if (call.endMs - call.startMs <= slowMs) return;
    slow += 1;
    let worst = 0;
    durations.forEach((values, phase) => {
      const excess = (values[index] as number) - (medians[phase] as number);
      if (excess > (durations[worst]?.[index] as number) - (medians[worst] as number)) worst = phase;
    });
    const inGc = gcs.some((gc) => gc.startMs < call.endMs && gc.startMs + gc.durationMs > call.startMs);
    const key = `${phases[worst]?.name}${inGc ? ', with a GC pause of the server' : ''}`;
    blame.set(key, (blame.get(key) ?? 0) + 1);
  });
  console.log(`\n${slow} calls over ${slowMs} ms; the phase that ran longest over its median:`);
  console.log('\n| phase | calls |\n|---|---|');
  for (const [key, count] of [...blame].sort((a, b) => b[1] - a[1])) console.log(`| ${key} | ${count} |`);
  const scavenges = gcs.filter((gc) => gc.kind === 1);
  const pauses = scavenges.map((gc) => gc.durationMs);
  console.log(
    `\nserver GC during the counted calls: ${scavenges.length} scavenges (p50 ${ms(percentile(pauses, 50))} ms, ` +
      `max ${ms(Math.max(0, ...pauses))} ms), ${gcs.length - scavenges.length} other pauses`,
  );
}

function ms(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : value.toFixed(2);
}

await main();
