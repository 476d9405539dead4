/** The non-streamed Anthropic Messages call the proxy benchmarks send, as a body and its headers. */

export const nativeCallBody = {
  model: 'claude-sonnet-4-6',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'benchmark prompt' }],
};

/** The serialized body and the headers for it, plus `extraHeaders` (the key or token). */
export function nativeCallRequest(extraHeaders: Record<string, string>): {
  body: string;
  headers: Record<string, string>;
} {
  const body = JSON.stringify(nativeCallBody);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'anthropic-version': '2023-06-01',
      ...extraHeaders,
    },
  };
}
