/**
 * A small real git repository whose test fails: `sum` subtracts. `node test.js` exits 1 until the
 * bug is fixed, then prints PASS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const buggySum = 'function sum(a, b) {\n  return a - b;\n}\n\nmodule.exports = { sum };\n';

const testFile = `const assert = require('node:assert');
const { sum } = require('./sum.js');

assert.strictEqual(sum(2, 3), 5, 'sum(2, 3) should be 5');
console.log('PASS sum(2, 3) === 5');
`;

export async function createBuggyRepository(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'loom-e2e-repo-'));
  await writeFile(join(directory, 'sum.js'), buggySum);
  await writeFile(join(directory, 'test.js'), testFile);
  await writeFile(join(directory, 'AGENTS.md'), 'Run the tests with `node test.js`.\n');
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
      cwd: directory,
      stdio: 'ignore',
    });
  };
  git('init', '--quiet', '--initial-branch=main');
  git('add', '.');
  git('commit', '--quiet', '-m', 'sum and its test');
  return directory;
}
