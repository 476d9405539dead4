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
  /**
   * When the consumer stops before the body ended (it had what it wanted: the final event arrives a
   * few bytes before the end), the rest is read and dropped for up to this long, so the provider's
   * connection goes back to the pool, then cut. 0 (the default) cuts at once.
   */
  readOutMs = 0,
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
    // A body read to its end needs no abort (which would cost an AbortError per call).
    if (!complete && !stalled) {
      if (readOutMs > 0 && !body.destroyed) readOutOrCut(chunks, stop, readOutMs);
      else stop();
    }
  }
}

/**
 * Reads what is left of a body on its own iterator (a Readable being iterated ignores `resume()`),
 * cutting it if it has not ended within `withinMs`. Whether the last bytes have already arrived
 * cannot be asked of every client's body stream (node:http's has `complete`, undici's does not), so
 * the rest is simply read: at once when it is there, on its arrival otherwise.
 */
function readOutOrCut(chunks: AsyncIterator<Uint8Array>, cut: () => void, withinMs: number): void {
  const deadline = setTimeout(cut, withinMs);
  const readOut = async (): Promise<void> => {
    try {
      while ((await chunks.next()).done !== true);
    } catch {
      // Cut at the deadline, or broke after the consumer had its answer: nobody is left to tell.
    } finally {
      clearTimeout(deadline);
    }
  };
  void readOut();
}

export function silence(idleMs: number): LoomError {
  return new LoomError('timeout', `the provider sent nothing for ${idleMs} ms`, { retryable: true });
}
