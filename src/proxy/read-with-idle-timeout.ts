/**
 * Reads a response body chunk by chunk, giving up when the provider goes silent for `idleMs`. Each
 * chunk is handed on the moment it arrives (no buffering). Stopping early (a stall, the consumer
 * returns or throws, the client left) cancels the body, which closes the upstream connection.
 *
 * One timer per body, re-armed with `refresh()` before each read, instead of a timer and a
 * `Promise.race` per chunk: a 50-event stream used to allocate 100 promises and timers. Silence is
 * only counted while waiting for the provider, not while the consumer writes to a slow client (that
 * has its own drain timeout).
 */
import type { ReadableStream } from 'node:stream/web';
import { LoomError } from '../errors/index.js';

export async function* readWithIdleTimeout(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  abortUpstream: () => void,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let reading = false;
  let stalled = false;
  let complete = false;
  const stop = (): void => {
    abortUpstream();
    reader.cancel().catch(() => undefined);
  };
  const timer = setTimeout(() => {
    if (!reading) return;
    stalled = true;
    // Aborting errors the pending read (fetch bodies); cancelling ends it (any other stream).
    stop();
  }, idleMs);
  try {
    for (;;) {
      reading = true;
      timer.refresh();
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (error) {
        if (stalled) throw silence(idleMs);
        throw error;
      } finally {
        reading = false;
      }
      if (stalled) throw silence(idleMs);
      if (result.done) {
        complete = true;
        return;
      }
      yield result.value;
    }
  } finally {
    clearTimeout(timer);
    // A body read to its end needs no abort (which would cost an AbortError per call).
    if (!complete && !stalled) stop();
  }
}

function silence(idleMs: number): LoomError {
  return new LoomError('timeout', `the provider sent nothing for ${idleMs} ms`, { retryable: true });
}
