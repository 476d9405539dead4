/**
 * Benchmark: from asking for a weaver to the first tool result, for
 *   1. the local backend, cold (bubblewrap when it works here, else unsandboxed): spawn + handshake;
 *   2. the Kubernetes backend claiming a warm pod, against the fake API server on loopback (so the
 *      figure is Loom's own overhead: list, conditional patch, exec websocket, agent start, call);
 *   3. the Kubernetes backend creating a pod (no warm pool), against the same fake, for contrast.
 * Each mode also reports how long `open` took and how long the first call took after it.
 * Run: `node --import tsx bench/weaver-kubernetes/run.ts [--runs N]`. It stops everything it started.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSilentLogger } from '../../src/logging/index.js';
import { createLocalWeaver, findBwrap, type Weaver } from '../../src/weaver/index.js';
import { describeWeaverPod } from '../../src/weaver/kubernetes/index.js';
import type { FakeKubernetesApi } from '../../test/weaver-kubernetes/support/fake-kubernetes-api.js';
import {
  createTestWeavers,
  eventually,
  startFakeCluster,
} from '../../test/weaver-kubernetes/support/kubernetes-weaver-test-support.js';

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 5;
const logger = createSilentLogger();

interface Sample {
  openMs: number;
  firstCallMs: number;
  totalMs: number;
  /** Kubernetes only: from `open` to the exec websocket being accepted (API round trips). */
  toExecMs?: number;
}

async function firstToolResult(weaver: Weaver): Promise<number> {
  const started = performance.now();
  const result = await weaver.execute(
    { id: 'bench', name: 'bash', arguments: { command: 'echo ready' } },
    { signal: new AbortController().signal },
  );
  if (result.isError || result.output !== 'ready\n')
    throw new Error(`unexpected first result: ${result.output}`);
  return performance.now() - started;
}

async function measure(open: () => Promise<Weaver>, fake?: FakeKubernetesApi): Promise<Sample> {
  const started = performance.now();
  const weaver = await open();
  const openMs = performance.now() - started;
  const firstCallMs = await firstToolResult(weaver);
  const sample: Sample = { openMs, firstCallMs, totalMs: performance.now() - started };
  const exec = fake?.execSessions.at(-1);
  if (exec !== undefined) sample.toExecMs = exec.acceptedAt - started;
  await weaver.close();
  return sample;
}

async function localCold(): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let run = 0; run < runs; run += 1) {
    const workspaceDir = await mkdtemp(path.join(os.tmpdir(), 'loom-bench-local-'));
    try {
      samples.push(await measure(() => createLocalWeaver({ workspaceDir, sandbox: 'auto', logger })));
    } finally {
      await rm(workspaceDir, { recursive: true, force: true });
    }
  }
  return samples;
}

const readyWarm = (fake: FakeKubernetesApi): number =>
  fake.store.list('loom.dev/state=warm').filter((pod) => describeWeaverPod(pod).kind === 'ready').length;

async function kubernetesWarm(): Promise<Sample[]> {
  // Containers run their warm-up (the agent once, filling tsx's cache), as in a real pod. The
  // replacement pod starts 20 s after a claim (as scheduling and start-up would delay it), so its
  // warm-up does not compete with the measured claim for this machine's CPUs.
  const fake = await startFakeCluster({ runContainers: true, startDelayMs: 20_000 });
  const weavers = createTestWeavers(fake, logger, { warmPoolSize: 1 });
  const samples: Sample[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      await eventually(() => readyWarm(fake) >= 1, 300_000);
      samples.push(
        await measure(async () => {
          const weaver = await weavers.open({ jobId: `bench-warm-${run}` });
          if (!weaver.fromWarmPool) throw new Error('the warm pool was empty');
          return weaver;
        }, fake),
      );
    }
  } finally {
    await weavers.close();
    await fake.close();
  }
  return samples;
}

async function kubernetesCold(): Promise<Sample[]> {
  const fake = await startFakeCluster({ runContainers: false, startDelayMs: 0 });
  const weavers = createTestWeavers(fake, logger);
  const samples: Sample[] = [];
  try {
    for (let run = 0; run < runs; run += 1)
      samples.push(await measure(() => weavers.open({ jobId: `bench-cold-${run}` }), fake));
  } finally {
    await weavers.close();
    await fake.close();
  }
  return samples;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function row(name: string, samples: Sample[]): string {
  const format = (values: number[]): string => `${median(values).toFixed(0).padStart(6)} ms`;
  const totals = samples.map((sample) => sample.totalMs);
  return [
    name.padEnd(44),
    format(totals),
    `${Math.min(...totals)
      .toFixed(0)
      .padStart(6)}–${Math.max(...totals).toFixed(0)} ms`.padEnd(18),
    format(samples.map((sample) => sample.openMs)),
    format(samples.map((sample) => sample.firstCallMs)),
    samples[0]?.toExecMs === undefined ? '        –' : format(samples.map((sample) => sample.toExecMs ?? 0)),
  ].join('  ');
}

const bwrap = await findBwrap();
console.log(
  `weaver start-up to first tool result, ${runs} runs each; ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
const local = await localCold();
const warm = await kubernetesWarm();
const cold = await kubernetesCold();
console.log(
  `${'mode'.padEnd(44)}  ${'median'.padStart(9)}  ${'range'.padEnd(18)}  ${'open'.padStart(9)}  ${'1st call'.padStart(9)}  ${'to exec'.padStart(9)}`,
);
console.log(row(`local, cold (${bwrap.available ? 'bubblewrap' : 'unsandboxed'})`, local));
console.log(row('kubernetes, warm-pool claim (fake API)', warm));
console.log(row('kubernetes, new pod (fake API, no warm-up)', cold));
console.log(
  `load average after: ${os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}`,
);
