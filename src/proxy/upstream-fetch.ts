/**
 * The port through which the proxy calls providers: one HTTP request out, the status and headers
 * back as soon as they arrive, and the body as a node stream still on its way. Only what the proxy
 * sends is supported: a method, a headers record, a string body and a cancellation signal.
 */
import type { Readable } from 'node:stream';
import type { HeaderReader } from '../llm/index.js';
import type { CancelSignal } from './cancellation.js';

export interface UpstreamFetchInit {
  method: string;
  headers: Record<string, string>;
  /** Undefined for a GET. */
  body?: string | undefined;
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

/** The whole body as text: for failure answers, which are small. */
export async function readBodyText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}
