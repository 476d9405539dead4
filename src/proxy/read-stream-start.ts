/**
 * Holds the start of a provider's body until it can be judged, then puts it back, so whoever reads
 * the body next gets every byte: used to look at a stream's first events before anything is sent
 * to the client. The body is left paused; its reader resumes it (`relayBody` does, an async
 * iterator reads anyway).
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * The verdict `judge` gives on the text read so far, once it gives one (undefined: read on). When
 * `waitMs` passes first, or the body ends empty, it resolves undefined, with what came put back.
 * A body that fails, closes, or ends while held chunks are still unjudged rejects: its chunks
 * cannot be put back after its end, and a stream that stops in its preamble is broken anyway.
 */
export function readStreamStart<Verdict>(
  body: Readable,
  waitMs: number,
  judge: (text: string) => Verdict | undefined,
): Promise<Verdict | undefined> {
  const chunks: Buffer[] = [];
  // A character split across chunks is decoded whole.
  const decoder = new StringDecoder('utf8');
  let text = '';
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
    const putBack = (): void => {
      if (chunks.length > 0)
        body.unshift(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      text += decoder.write(chunk);
      const verdict = judge(text);
      if (verdict === undefined) return;
      finish(() => {
        putBack();
        resolve(verdict);
      });
    };
    const onEnd = (): void =>
      finish(() =>
        chunks.length === 0
          ? resolve(undefined)
          : reject(new Error('the body ended before its first events could be judged')),
      );
    const onError = (error: Error): void => finish(() => reject(error));
    // Destroyed without an error (an abort may end it so): nothing more will come.
    const onClose = (): void => finish(() => reject(new Error('the body closed before its first events')));
    const timer = setTimeout(
      () =>
        finish(() => {
          putBack();
          resolve(undefined);
        }),
      waitMs,
    );
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    body.once('close', onClose);
  });
}
