/** The diagnosis tools' client: native Messages calls to one server, one at a time, on one keep-alive connection. */
import { Agent, request } from 'node:http';
import { monotonicMs } from './call-phase-recorder.js';
import { nativeCallRequest } from './native-call-request.js';

/** When one call started and ended, on the machine's monotonic clock (the servers' recordings use it too). */
export interface ClientCall {
  startMs: number;
  endMs: number;
}

/** Sends `count` calls, each once the previous answer is read; `beforeCall` sees each index first. */
export async function sendNativeCallsOneAtATime(
  url: URL,
  extraHeaders: Record<string, string>,
  count: number,
  beforeCall: (index: number) => void = () => undefined,
): Promise<ClientCall[]> {
  const { body, headers } = nativeCallRequest(extraHeaders);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const done: ClientCall[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      beforeCall(index);
      done.push(
        await new Promise<ClientCall>((resolve, reject) => {
          const startMs = monotonicMs();
          const sent = request(url, { method: 'POST', headers, agent }, (response) => {
            if (response.statusCode !== 200) reject(new Error(`HTTP ${response.statusCode}`));
            response.resume();
            response.once('end', () => resolve({ startMs, endMs: monotonicMs() }));
          });
          sent.once('error', reject);
          sent.end(body);
        }),
      );
    }
  } finally {
    agent.destroy();
  }
  return done;
}
