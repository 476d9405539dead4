/**
 * Watches the bytes of a forwarded provider response, without holding them up, and extracts the
 * token usage: SSE events are parsed as they pass; a JSON body is parsed once it is complete.
 */
import type { Usage } from '../llm/index.js';
import { createSseParser } from './sse-parser.js';
import type { ProxyProvider } from './usage-ledger.js';
import { createUsageSniffer } from './usage-sniffer.js';

export interface UsageTap {
  push(chunk: Uint8Array): void;
  finish(): Usage;
}

/** A non-streamed answer larger than this is not parsed for usage (it is still forwarded whole). */
const maxJsonBytes = 8 * 1024 * 1024;

export function createUsageTap(provider: ProxyProvider, streaming: boolean): UsageTap {
  const sniffer = createUsageSniffer(provider);
  const observe = (data: string): void => {
    // Only payloads with a `usage` key count; most stream events are text deltas, not worth a parse.
    // (Inside a JSON string the quotes would be escaped, so a delta's text cannot fake the key.)
    if (!data.includes('"usage"')) return;
    try {
      sniffer.observe(JSON.parse(data));
    } catch {
      // Not JSON: nothing to count in it.
    }
  };
  if (!streaming) {
    // One JSON document: its chunks are kept as they are and decoded once, at the end.
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    return {
      push(chunk) {
        if (bytes >= maxJsonBytes) return;
        chunks.push(chunk);
        bytes += chunk.byteLength;
      },
      finish() {
        if (bytes < maxJsonBytes) observe(Buffer.concat(chunks, bytes).toString('utf8'));
        return sniffer.usage();
      },
    };
  }
  const decoder = new TextDecoder();
  const parser = createSseParser();
  return {
    push(chunk) {
      for (const event of parser.push(decoder.decode(chunk, { stream: true }))) observe(event.data);
    },
    finish() {
      const rest = decoder.decode();
      for (const event of parser.push(rest).concat(parser.finish())) observe(event.data);
      return sniffer.usage();
    },
  };
}
