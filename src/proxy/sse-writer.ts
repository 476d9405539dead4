/**
 * Writes Server-Sent Events to a response as they come: no buffering, headers sent with the first
 * event (so a failure before it can still become a plain HTTP error), backpressure respected.
 */
import type { ServerResponse } from 'node:http';

export interface SseWriter {
  /** True once the 200 and the first event went out; from then on errors must be events. */
  readonly started: boolean;
  /** Sends the 200 and the SSE headers now (idempotent); `send` does it on its own otherwise. */
  open(): void;
  send(event: string, data: unknown): Promise<void>;
  end(): void;
}

export const sseHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Tells nginx-style reverse proxies not to buffer the stream.
  'x-accel-buffering': 'no',
} as const;

export function createSseWriter(response: ServerResponse): SseWriter {
  let started = false;
  const open = (): void => {
    if (started) return;
    response.writeHead(200, sseHeaders);
    response.socket?.setNoDelay(true);
    response.flushHeaders();
    started = true;
  };
  return {
    get started() {
      return started;
    },
    open,
    async send(event, data) {
      open();
      await writeChunk(response, `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      if (!response.writableEnded) response.end();
    },
  };
}

/** A client that reads nothing for this long is cut off, which also releases the upstream stream. */
export const defaultDrainTimeoutMs = 120_000;

/**
 * Writes and, when the socket buffer is full, waits for it to drain (or for the client to leave).
 * A client that stops reading is disconnected after `drainTimeoutMs`.
 */
export function writeChunk(
  response: ServerResponse,
  chunk: string | Uint8Array,
  drainTimeoutMs: number = defaultDrainTimeoutMs,
): Promise<void> {
  if (response.destroyed || response.writableEnded) return Promise.resolve();
  if (response.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => response.destroy(), drainTimeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
}
