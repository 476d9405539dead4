/**
 * Reads a response body chunk by chunk, giving up when the provider goes silent for `idleMs`. Each
 * chunk is handed on the moment it arrives (no buffering). Stopping early (the consumer returns, the
 * client left) cancels the body, which closes the upstream connection.
 */
import type { ReadableStream } from 'node:stream/web';
import { LoomError } from '../errors/index.js';

export async function* readWithIdleTimeout(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  abortUpstream: () => void,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const silence = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new LoomError('timeout', `the provider sent nothing for ${idleMs} ms`, { retryable: true }),
            ),
          idleMs,
        );
      });
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await Promise.race([reader.read(), silence]);
      } finally {
        clearTimeout(timer);
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    // Runs on completion, on a stall, on an abort and when the consumer stops early.
    abortUpstream();
    reader.cancel().catch(() => undefined);
  }
}
