/**
 * A second process for the cross-process tests: waits for "go" on stdin (so two children open the
 * store at the same moment), opens the store, records the given delivery ids concurrently and prints
 * `{"created": N}`.
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../../src/store/index.js';

interface ChildOptions {
  dataDir: string;
  databaseUrl?: string;
  deliveryIds: string[];
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line.trim() === 'go') break;
}
lines.close();

const store = await openStore({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
const outcomes = await Promise.all(
  options.deliveryIds.map((deliveryId) =>
    store.requests.record({ deliveryId, source: 'github', kind: 'push' }),
  ),
);
await store.close();
process.stdout.write(
  `${JSON.stringify({ created: outcomes.filter((outcome) => outcome.created).length })}\n`,
);
