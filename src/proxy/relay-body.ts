/**
 * Relays a provider's response body to the client with node stream events: each chunk is written as
 * it arrives; when the client reads slower than the provider writes, the provider's body is paused
 * until the client drains (a client that reads nothing for `drainTimeoutMs` is cut off); a provider
 * silent for `idleMs` while we wait on it ends the relay as a stall. Events rather than an async
 * iterator or a web stream: per chunk this is a callback, not a promise chain.
 *
 * A non-streamed answer is one JSON document the caller cannot use before its end, so its last chunk
 * is held until the body ends and sent with the end of the response: headers, body and end in one
 * socket write instead of three. A stream's headers leave with its first event, or after
 * `headerFlushMs` when the provider is slower.
 */
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { silence } from './read-with-idle-timeout.js';
import { defaultDrainTimeoutMs } from './sse-writer.js';

export interface RelayOptions {
  streaming: boolean;
  idleMs: number;
  drainTimeoutMs?: number;
  /** Sees every chunk before it is written (usage metering). */
  onChunk: (chunk: Buffer) => void;
}

export type RelayEnd =
  | { kind: 'complete' }
  /** The provider's body broke or stalled; the response is still open for the caller to close. */
  | { kind: 'failed'; error: unknown }
  | { kind: 'client_gone' };

/** How long a stream's headers may wait for its first event before they are sent alone. */
const headerFlushMs = 20;

export function relayBody(
  body: Readable,
  response: ServerResponse,
  options: RelayOptions,
): Promise<RelayEnd> {
  const drainTimeoutMs = options.drainTimeoutMs ?? defaultDrainTimeoutMs;
  return new Promise<RelayEnd>((resolve) => {
    let held: Buffer | undefined;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const idleTimer = setTimeout(() => {
      if (!body.isPaused()) settle({ kind: 'failed', error: silence(options.idleMs) });
    }, options.idleMs);
    const flushTimer = options.streaming
      ? setTimeout(() => response.flushHeaders(), headerFlushMs)
      : undefined;

    const onData = (chunk: Buffer): void => {
      idleTimer.refresh();
      options.onChunk(chunk);
      if (!options.streaming) {
        const previous = held;
        held = chunk;
        if (previous === undefined || response.write(previous)) return;
      } else {
        clearTimeout(flushTimer);
        if (response.write(chunk)) return;
      }
      // The client's socket buffer is full: wait for it before reading more from the provider.
      body.pause();
      drainTimer = setTimeout(() => response.destroy(), drainTimeoutMs);
      response.once('drain', onDrain);
    };
    const onDrain = (): void => {
      clearTimeout(drainTimer);
      idleTimer.refresh();
      body.resume();
    };
    const onEnd = (): void => {
      if (held === undefined) response.end();
      else response.end(held);
      settle({ kind: 'complete' });
    };
    const onError = (error: Error): void => settle({ kind: 'failed', error });
    const onClientClose = (): void => {
      if (!response.writableFinished) settle({ kind: 'client_gone' });
    };
    function settle(end: RelayEnd): void {
      if (settled) return;
      settled = true;
      clearTimeout(idleTimer);
      clearTimeout(flushTimer);
      clearTimeout(drainTimer);
      body.off('data', onData);
      body.off('end', onEnd);
      // `onError` stays: an abort may still destroy the body with an error, which must not go unheard.
      response.off('drain', onDrain);
      response.off('close', onClientClose);
      // Anything but a complete body: stop reading it, which closes the provider connection.
      if (end.kind !== 'complete') body.destroy();
      resolve(end);
    }

    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
    response.once('close', onClientClose);
    // A body whose opening chunks were looked at and put back is paused: 'data' alone would not start it.
    body.resume();
  });
}
