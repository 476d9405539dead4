/**
 * Child process: `@portkey-ai/gateway`'s own start script, run inside this process (`--headless`,
 * `--port=N` as its CLI takes them), so that it exits with the benchmark: when the parent goes
 * away its stdin closes, and this process ends.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
const port = process.argv[2] as string;
const script = join(
  dirname(createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json')),
  'build',
  'start-server.js',
);
process.argv = [process.argv[0] as string, script, '--headless', `--port=${port}`];

/*
 * Portkey 1.15.2 answers every streamed call with HTTP 500 ("TypeError: immutable") as installed
 * here: its stream mapper returns `new Response(stream, upstreamResponse)`, and @hono/node-server
 * (1.19.x, which replaces the global Response with a "lightweight" one) keeps `init.headers` as is
 * when `init` is a native fetch Response, so the new response shares the upstream's headers, which
 * fetch marks immutable; Portkey's `updateHeaders()` then calls `headers.append(...)` and throws.
 * Nothing in it depends on the Node version. The work-around: hand Portkey fetch responses whose
 * headers are an ordinary (mutable) copy. It costs Portkey one Response object per call.
 */
const nativeFetch = globalThis.fetch;
const NativeResponse = globalThis.Response;
globalThis.fetch = async (input, init) => {
  const response = await nativeFetch(input, init);
  return new NativeResponse(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
};
// Its banner and spinner go to stdout; the benchmark ignores them.
await import(pathToFileURL(script).href);
