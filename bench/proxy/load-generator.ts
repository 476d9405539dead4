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

export async function runLoad(
  target: Target,
  options: { concurrency: number; count: number; stream: boolean },
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
  let issued = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (issued < options.count) {
      issued += 1;
      await once(target, body, result);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.wallMs = performance.now() - started;
  const cpuAfter = cpuTimeMs(target.pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined && result.totalMs.length > 0) {
    result.cpuMsPerRequest = (cpuAfter - cpuBefore) / result.totalMs.length;
  }
  return result;
}

async function once(target: Target, body: string, result: RunResult): Promise<void> {
  const started = performance.now();
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let firstToken: number | undefined;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      result.bytes += value.byteLength;
      if (firstToken === undefined) {
        text += decoder.decode(value, { stream: true });
        if (text.includes(target.firstTokenMarker)) firstToken = performance.now() - started;
      }
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
    result.totalMs.push(performance.now() - started);
    if (firstToken !== undefined) result.firstTokenMs.push(firstToken);
  } catch (error) {
    result.errors += 1;
    result.firstError ??= error instanceof Error ? error.message : String(error);
  }
}

/** Nearest-rank percentile of a sample, in the sample's unit. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
