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
  const decoder = new TextDecoder();
  const parser = createSseParser();
  let json = '';
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
  return {
    push(chunk) {
      const text = decoder.decode(chunk, { stream: true });
      if (streaming) for (const event of parser.push(text)) observe(event.data);
      else if (json.length < maxJsonBytes) json += text;
    },
    finish() {
      const rest = decoder.decode();
      if (streaming) for (const event of parser.push(rest).concat(parser.finish())) observe(event.data);
      else observe(json + rest);
      return sniffer.usage();
    },
  };
}
