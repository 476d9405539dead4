/**
 * Reads a response body chunk by chunk, giving up when the provider goes silent for `idleMs`. Each
 * chunk is handed on the moment it arrives (no buffering). Stopping early (a stall, the consumer
 * returns or throws, the client left) destroys the body, which closes the upstream connection.
 *
 * One timer per body, re-armed with `refresh()` before each read, instead of a timer and a
 * `Promise.race` per chunk. Silence is only counted while waiting for the provider, not while the
 * consumer writes to a slow client (that has its own drain timeout).
 */
import type { Readable } from 'node:stream';
import { LoomError } from '../errors/index.js';

export async function* readWithIdleTimeout(
  body: Readable,
  idleMs: number,
  abortUpstream: () => void,
): AsyncGenerator<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  let reading = false;
  let stalled = false;
  let complete = false;
  const stop = (): void => {
    abortUpstream();
    body.destroy();
  };
  const timer = setTimeout(() => {
    if (!reading) return;
    stalled = true;
    // Destroying the body ends the pending read.
    stop();
  }, idleMs);
  try {
    for (;;) {
      reading = true;
      timer.refresh();
      let result: IteratorResult<Uint8Array>;
      try {
        result = await chunks.next();
      } catch (error) {
        if (stalled) throw silence(idleMs);
        throw error;
      } finally {
        reading = false;
      }
      if (stalled) throw silence(idleMs);
      if (result.done === true) {
        complete = true;
        return;
      }
      yield result.value;
    }
  } finally {
    clearTimeout(timer);
    // A body read to its end needs no abort (which would cost an AbortError per call). One whose
    // bytes have all arrived (the consumer stopped at the final event) is read out instead of cut:
    // its connection then goes back to the pool.
    if (!complete && !stalled) {
      if ((body as { complete?: unknown }).complete === true) while (body.read() !== null);
      else stop();
    }
  }
}

export function silence(idleMs: number): LoomError {
  return new LoomError('timeout', `the provider sent nothing for ${idleMs} ms`, { retryable: true });
}
