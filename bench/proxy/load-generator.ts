import { Agent, request as httpRequest } from 'node:http';
import { cpuTimeMs } from './spawn-bench-server.js';

/** Closed-loop load: `concurrency` workers each sending requests back to back until `count` are done. */

export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Text that marks the first streamed token in the response bytes. */
  firstTokenMarker: string;
  /** The process serving `url`, whose CPU time is measured. */
  pid?: number | undefined;
}

export interface RunResult {
  /** Per request: total time (ms); for streams, also time to the first token. */
  totalMs: number[];
  firstTokenMs: number[];
  errors: number;
  firstError: string | undefined;
  wallMs: number;
  bytes: number;
  /** CPU time the serving process used per successful request, when it can be read. */
  cpuMsPerRequest: number | undefined;
}

/**
 * The client's keep-alive connections to one target. Passed to `runLoad`, they are kept between runs
 * (as an SDK or a worker keeps its pool); without one, each run opens `concurrency` fresh connections
 * at once, and on Node >= 20 a busy server accepts one new connection per event-loop turn (libuv
 * 1.45 stopped accepting in a loop), so a saturated server serves the last of them ~N turns late.
 */
export function createClientAgent(concurrency: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: concurrency });
}

export async function runLoad(
  target: Target,
  options: { concurrency: number; count: number; stream: boolean; agent?: Agent },
): Promise<RunResult> {
  const result: RunResult = {
    totalMs: [],
    firstTokenMs: [],
    errors: 0,
    firstError: undefined,
    wallMs: 0,
    bytes: 0,
    cpuMsPerRequest: undefined,
  };
  const cpuBefore = cpuTimeMs(target.pid);
  const body = JSON.stringify({ ...target.body, stream: options.stream });
  const agent = options.agent ?? createClientAgent(options.concurrency);
  const shape: RequestShape = {
    url: new URL(target.url),
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...target.headers,
    },
    body,
    agent,
  };
  let issued = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (issued < options.count) {
      issued += 1;
      await once(target, shape, result);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.wallMs = performance.now() - started;
  if (options.agent === undefined) agent.destroy();
  const cpuAfter = cpuTimeMs(target.pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.totalMs.length > 0) {
    result.cpuMsPerRequest = (cpuAfter - cpuBefore) / result.totalMs.length;
  }
  return result;
}

/**
 * One request through node:http on the run's keep-alive agent. The load generator shares the machine
 * with the servers it measures, so it must add as little time and garbage of its own as it can:
 * `fetch` (undici and WHATWG streams) put a few calls of the direct target at 3-8 ms on a 2-core VM,
 * its p99 ~10x its p50; node:http keeps the direct call's p99 near its p50.
 */
function once(target: Target, run: RequestShape, result: RunResult): Promise<void> {
  const started = performance.now();
  return new Promise<void>((resolve) => {
    let firstToken: number | undefined;
    let text = '';
    const fail = (error: Error): void => {
      result.errors += 1;
      result.firstError ??= error.message;
      resolve();
    };
    const request = httpRequest(
      run.url,
      { method: 'POST', headers: run.headers, agent: run.agent },
      (response) => {
        const ok = (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          result.bytes += Buffer.byteLength(chunk);
          if (firstToken !== undefined && ok) return;
          text += chunk;
          if (firstToken === undefined && text.includes(target.firstTokenMarker)) {
            firstToken = performance.now() - started;
          }
        });
        response.once('error', fail);
        response.once('end', () => {
          if (!ok) return fail(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
          result.totalMs.push(performance.now() - started);
          if (firstToken !== undefined) result.firstTokenMs.push(firstToken);
          resolve();
        });
      },
    );
    request.once('error', fail);
    request.end(run.body);
  });
}

interface RequestShape {
  url: URL;
  headers: Record<string, string>;
  body: string;
  agent: Agent;
}

/** Nearest-rank percentile of a sample, in the sample's unit. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
