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
// Its banner and spinner go to stdout; the benchmark ignores them.
await import(pathToFileURL(script).href);
