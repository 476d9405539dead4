/**
 * The proxy's HTTP client to providers: `node:http`/`node:https` with keep-alive agents, answering
 * with the status, the headers and the body as the node stream it arrived on. Node 20's built-in
 * `fetch` (undici) builds a WHATWG Request, Headers and several streams per call, and a `Response`
 * wrapped around `http.request` still cost a web stream per body (`Readable.toWeb`: 45 µs against
 * 3 µs for node's own events); on loopback that was most of the CPU the proxy spent per call.
 * Only what the proxy sends is supported: a method, a headers record, a string body and a signal.
 * No `accept-encoding` is sent, so bodies arrive as the provider's plain bytes and pass through
 * unchanged.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { HeaderReader } from '../llm/index.js';
import type { CancelSignal } from './cancellation.js';

export interface UpstreamFetchInit {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal?: CancelSignal | undefined;
}

/** A provider's answer once its headers arrived; the body is still on its way. */
export interface UpstreamResponse {
  status: number;
  headers: HeaderReader;
  /** The body bytes as they arrive; destroyed (with the signal's reason) when the signal aborts. */
  body: Readable;
}

export type UpstreamFetch = (url: string, init: UpstreamFetchInit) => Promise<UpstreamResponse>;

export interface HttpUpstreamFetchOptions {
  /** Idle connections kept per provider host for reuse; default 256. */
  maxFreeSockets?: number;
}

export function createHttpUpstreamFetch(options: HttpUpstreamFetchOptions = {}): UpstreamFetch {
  const agentOptions = {
    keepAlive: true,
    maxFreeSockets: options.maxFreeSockets ?? 256,
    scheduling: 'lifo' as const,
  };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  return (url, init) =>
    new Promise<UpstreamResponse>((resolve, reject) => {
      const signal = init.signal;
      if (signal?.aborted) return reject(abortError(signal));
      const secure = url.startsWith('https:');
      const send = secure ? httpsRequest : httpRequest;
      let incoming: IncomingMessage | undefined;
      const onAbort = (): void => {
        const error = abortError(signal);
        // Before the headers this rejects the promise; after, it errors the body being read.
        request.destroy(error);
        incoming?.destroy(error);
      };
      const request = send(
        url,
        {
          method: init.method,
          headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
          agent: secure ? agents.https : agents.http,
        },
        (message) => {
          incoming = message;
          message.once('close', () => signal?.removeEventListener('abort', onAbort));
          resolve(toUpstreamResponse(message));
        },
      );
      request.once('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      request.end(init.body);
    });
}

/** The default client of every proxy that is not handed another one. */
export const defaultUpstreamFetch: UpstreamFetch = createHttpUpstreamFetch();

function toUpstreamResponse(message: IncomingMessage): UpstreamResponse {
  return {
    status: message.statusCode ?? 502,
    headers: {
      get(name) {
        const value = message.headers[name.toLowerCase()];
        if (value === undefined) return null;
        return Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: message,
  };
}

/** The whole body as text: for failure answers, which are small. */
export async function readBodyText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

function abortError(signal: CancelSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}
