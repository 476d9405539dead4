/**
 * Loaded into a benchmark server (loom-proxy-process.ts, bare-proxy-process.ts) when
 * `LOOM_BENCH_PHASES=<file>` is set: records when each request reached the server, when its upstream
 * call was created, sent, answered and finished, when the answer was handed to the kernel, and every
 * GC pause, on the monotonic clock (`process.hrtime`, shared by every process of the machine), and
 * writes them to `<file>` as JSON when the process exits. slow-call-phases.ts reads them beside the
 * client's own times to tell where a slow call spent its time.
 *
 * Node's and undici's diagnostics channels report these moments without touching the code measured.
 */
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';

/** A moment of one call, in the order a proxied call passes them. */
export const callMoments = {
  'http.server.request.start': 'requestStarted',
  'undici:request:create': 'upstreamCreated',
  'undici:client:sendHeaders': 'upstreamSent',
  'undici:request:headers': 'upstreamAnswered',
  'undici:request:trailers': 'upstreamFinished',
  'http.server.response.finish': 'answerSent',
} as const;

export type CallMoment = (typeof callMoments)[keyof typeof callMoments];

export interface PhaseRecording {
  /** Per moment, its times (ms on the monotonic clock) in the order calls reached it. */
  moments: Record<CallMoment, number[]>;
  /** GC pauses: start (ms, monotonic clock), duration (ms), kind (1 = scavenge, 4 = mark-compact). */
  gcs: Array<{ startMs: number; durationMs: number; kind: number | undefined }>;
}

export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

const file = process.env.LOOM_BENCH_PHASES;
if (file !== undefined && file !== '') record(file);

function record(target: string): void {
  const recording: PhaseRecording = {
    moments: Object.fromEntries(Object.values(callMoments).map((moment) => [moment, []])) as never,
    gcs: [],
  };
  for (const [channel, moment] of Object.entries(callMoments)) {
    const times = recording.moments[moment];
    subscribe(channel, () => times.push(monotonicMs()));
  }
  // performance.now() counts from this process's time origin; the offset puts GCs on the shared clock.
  const origin = monotonicMs() - performance.now();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { detail?: { kind?: number } }>) {
      recording.gcs.push({
        startMs: origin + entry.startTime,
        durationMs: entry.duration,
        kind: entry.detail?.kind,
      });
    }
  }).observe({ entryTypes: ['gc'] });
  process.once('exit', () => writeFileSync(target, JSON.stringify(recording)));
}
