/**
 * The agent benchmarks (issue 3): harness overhead per step, weaver start to first tool result, and
 * the grep tool against ripgrep. Prints Markdown tables. Run with
 * `node --import tsx bench/agent/run-agent-bench.ts` (or all benchmarks: bench/run-all.ts).
 */
import os from 'node:os';
import { runGrepBench } from './grep-vs-ripgrep-bench.js';
import { runHarnessOverheadBench } from './harness-overhead-bench.js';
import { runWeaverStartBench } from './weaver-start-bench.js';

const cpus = os.cpus();
process.stdout.write(
  `## Agent benchmarks\n\nNode ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, load average ${os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ')} at start.\n\n`,
);
for (const bench of [runHarnessOverheadBench, runWeaverStartBench, runGrepBench]) {
  process.stdout.write(`${await bench()}\n\n`);
}
