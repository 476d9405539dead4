/**
 * How the proxy benchmark times several targets on one shared machine: they take turns in blocks,
 * for the warm-up as for the timed rounds, so a change in the machine's speed hits every target
 * alike and none sits idle long enough to leave its steady state (see run-proxy-bench.ts for the
 * figures behind each setting).
 */
import type { Agent } from 'node:http';
import { runLoad, percentile, type RunResult, type Target } from './load-generator.js';
import { formatCpu, formatMs } from './report-format.js';

export interface TurnTaking {
  /** Counted rounds: each run's calls are split into this many blocks per target. */
  rounds: number;
  /** Rounds of the same blocks run first and not counted. */
  settlingRounds: number;
  /** Each target is driven at least this long by a warm-up. */
  warmUpMs: number;
  /** Print every block's figures to stderr. */
  printBlocks: boolean;
}

export type NamedTargets = ReadonlyArray<readonly [string, Target]>;

/**
 * Drives every target, taking turns in blocks of 1 000 non-streamed calls at concurrency 1 (as the
 * timed rounds do; 50 calls or streams per connection otherwise), until each has been driven
 * `warmUpMs` and served `minCalls`.
 * Warmed up one after the other, the first targets then sat idle for a minute of the others'
 * warm-ups, and a Node server idle that long is slow again for its next ~3 000 calls (V8 shrinks its
 * young generation, see `settlingRounds`): the bare forwarder's first counted blocks took 0.27-0.54 ms
 * of CPU per call against 0.15 once settled, and its p99 at concurrency 1 came out at 3.1 ms.
 */
export async function warmUpInTurns(
  entries: NamedTargets,
  options: { concurrency: number; stream: boolean; minCalls: number },
  agents: Map<string, Agent>,
  turns: TurnTaking,
): Promise<void> {
  const block = options.concurrency === 1 && !options.stream ? 1000 : options.concurrency * 50;
  const drivenMs = new Map<string, number>();
  for (let sent = 0; ; sent += block) {
    const done = [...entries].every(([name]) => (drivenMs.get(name) ?? 0) >= turns.warmUpMs);
    if (done && sent >= options.minCalls) return;
    for (const [name, target] of entries) {
      const agent = agents.get(name);
      const started = performance.now();
      const { concurrency, stream } = options;
      await runLoad(target, { concurrency, stream, count: block, ...(agent ? { agent } : {}) });
      drivenMs.set(name, (drivenMs.get(name) ?? 0) + performance.now() - started);
    }
  }
}

/**
 * Runs `count` requests per target in `rounds` blocks, the targets taking turns, after
 * `settlingRounds` uncounted rounds of the same blocks; pools each target's counted blocks.
 */
export async function runInRounds(
  entries: NamedTargets,
  run: { concurrency: number; count: number; stream: boolean },
  agents: Map<string, Agent>,
  turns: TurnTaking,
): Promise<Map<string, RunResult>> {
  const pooled = new Map<string, RunResult>();
  const perRound = Math.max(1, Math.ceil(run.count / turns.rounds));
  for (let round = -turns.settlingRounds; round < turns.rounds; round += 1) {
    for (const [name, target] of entries) {
      const agent = agents.get(name);
      const result = await runLoad(target, { ...run, count: perRound, ...(agent ? { agent } : {}) });
      if (turns.printBlocks) printBlock(run.concurrency, name, round, result);
      if (round < 0) continue;
      const total = pooled.get(name);
      pooled.set(name, total === undefined ? result : mergeResults(total, result));
    }
  }
  return pooled;
}

function printBlock(concurrency: number, name: string, round: number, result: RunResult): void {
  const times = blockPercentiles(result);
  console.error(
    `block conc ${concurrency} ${name} round ${round}: p50 ${times.p50} p99 ${times.p99} ` +
      `cpu ms/req ${formatCpu(result)}, ${result.totalMs.filter((ms) => ms > 1).length} over 1 ms`,
  );
}

function blockPercentiles(result: RunResult): { p50: string; p99: string } {
  return { p50: formatMs(percentile(result.totalMs, 50)), p99: formatMs(percentile(result.totalMs, 99)) };
}

function mergeResults(a: RunResult, b: RunResult): RunResult {
  const cpu =
    a.cpuMsPerRequest === undefined || b.cpuMsPerRequest === undefined
      ? undefined
      : (a.cpuMsPerRequest * a.totalMs.length + b.cpuMsPerRequest * b.totalMs.length) /
        Math.max(1, a.totalMs.length + b.totalMs.length);
  return {
    totalMs: a.totalMs.concat(b.totalMs),
    firstTokenMs: a.firstTokenMs.concat(b.firstTokenMs),
    errors: a.errors + b.errors,
    firstError: a.firstError ?? b.firstError,
    wallMs: a.wallMs + b.wallMs,
    bytes: a.bytes + b.bytes,
    cpuMsPerRequest: cpu,
  };
}
