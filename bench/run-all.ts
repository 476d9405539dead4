/**
 * Runs every benchmark of the repository, one after the other, each in its own process so one
 * cannot warm or disturb the next: every `bench/<area>/run-<area>-bench.ts`. Output is Markdown.
 * `npm run bench` should run `node --import tsx bench/run-all.ts`; pass area names to run only those
 * (`node --import tsx bench/run-all.ts agent`).
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);

const entries: string[] = [];
for (const area of (await readdir(benchDir, { withFileTypes: true })).filter((entry) =>
  entry.isDirectory(),
)) {
  if (only.length > 0 && !only.includes(area.name)) continue;
  const files = await readdir(join(benchDir, area.name));
  for (const file of files.filter((name) => /^run-.*-bench\.ts$/.test(name)).sort()) {
    entries.push(join(benchDir, area.name, file));
  }
}

let failed = 0;
for (const entry of entries) {
  process.stderr.write(`bench: ${entry}\n`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { stdio: 'inherit' });
    child.on('close', resolve);
  });
  if (code !== 0) {
    failed += 1;
    process.stderr.write(`bench: ${entry} failed (exit ${code})\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
