/** Child process: the mock Anthropic upstream. Prints `{"ready": true, "url": ...}` once listening. */
import { startMockUpstream } from './mock-upstream.js';

// The benchmark holds our stdin open; when it goes away (even killed), stdin ends and so do we.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
const deltas = Number(process.argv[2] ?? '50');
const { url } = await startMockUpstream({ deltas });
process.stdout.write(`${JSON.stringify({ ready: true, url })}\n`);
