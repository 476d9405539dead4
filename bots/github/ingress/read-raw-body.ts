/**
 * Reads a request body as raw bytes (the signature covers the exact bytes), bounded in size and in
 * time: a body over the cap or one that trickles in slower than the deadline (slow loris) is refused
 * without being buffered further (RELIABILITY 4).
 */
import type { IncomingMessage } from 'node:http';
import { LoomError } from '../../../src/errors/index.js';

export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** The whole body must arrive within this many milliseconds of the start of reading. */
  timeoutMs: number;
}

/** GitHub caps webhook payloads at 25 MB and gives up on a delivery after 10 s. */
export const defaultBodyLimits: BodyLimits = { maxBytes: 25 * 1024 * 1024, timeoutMs: 10_000 };

/**
 * Resolves with the body. Rejects with `payload_too_large` (declared or counted size over the cap,
 * before reading further), `timeout` (deadline passed) or `invalid_input` (client aborted). After a
 * rejection the stream is paused; the caller answers and closes the connection.
 */
export function readRawBody(request: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    return Promise.reject(tooLarge(limits.maxBytes));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error: LoomError | undefined) => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAbort);
      request.off('close', onClose);
      if (error === undefined) return resolve(Buffer.concat(chunks, received));
      request.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxBytes) return finish(tooLarge(limits.maxBytes));
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onAbort = () =>
      finish(new LoomError('invalid_input', 'the request body was not received completely'));
    const onClose = () => {
      if (!request.complete) onAbort();
    };
    const timer = setTimeout(
      () => finish(new LoomError('timeout', `the request body did not arrive within ${limits.timeoutMs} ms`)),
      limits.timeoutMs,
    );
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onAbort);
    request.once('close', onClose);
  });
}

function tooLarge(maxBytes: number): LoomError {
  return new LoomError('payload_too_large', `the request body is larger than ${maxBytes} bytes`, {
    details: { maxBytes },
  });
}
