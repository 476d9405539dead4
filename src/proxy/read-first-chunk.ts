/**
 * Waits a short while for the first chunk of a provider's body and puts it back, so whoever reads
 * the body next gets every byte: used to look at a stream's first event before anything is sent to
 * the client. The body is left paused; its reader resumes it (`relayBody` does, an async iterator
 * reads anyway).
 */
import type { Readable } from 'node:stream';

/**
 * The first chunk, or undefined when none came within `waitMs` (the body is then left as it was) or
 * the body ended empty. A body that fails or closes first rejects.
 */
export function readFirstChunk(body: Readable, waitMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      // Paused before the listener goes: a flowing body without one would drop its chunks.
      body.pause();
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer): void =>
      finish(() => {
        body.unshift(chunk);
        resolve(chunk);
      });
    const onEnd = (): void => finish(() => resolve(undefined));
    const onError = (error: Error): void => finish(() => reject(error));
    // Destroyed without an error (an abort may end it so): nothing more will come.
    const onClose = (): void => finish(() => reject(new Error('the body closed before its first chunk')));
    const timer = setTimeout(() => finish(() => resolve(undefined)), waitMs);
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}
