/**
 * The done-when of `loom run`, tried as a new user would: a real `loom` process, a real git
 * repository whose test fails, tools in the bubblewrap sandbox, and a loopback server speaking the
 * Anthropic Messages API that plays a careful engineer (and answers 429 and 529 once each). The
 * engineer also asks for a file outside the workspace and for the process environment; neither the
 * file's content nor the API key may ever reach the model.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuggyRepository } from './support/buggy-repository.js';
import { createEngineer, engineerAnswer, withFaults } from './support/engineer-script.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from './support/fake-anthropic-server.js';
import { systemText, toolSteps } from './support/messages-transcript.js';
import { runLoom } from './support/run-loom.js';

describe('loom run against an Anthropic Messages API server', () => {
  const apiKey = `sk-ant-e2e-${randomUUID()}`;
  const secret = `TOP-SECRET-${randomUUID()}`;
  let server: FakeAnthropicServer;
  let repository: string;
  let scratch: string;
  let secretPath: string;
  let run: { code: number | null; stdout: string; stderr: string };

  beforeAll(async () => {
    repository = await createBuggyRepository();
    scratch = await mkdtemp(join(tmpdir(), 'loom-e2e-'));
    secretPath = join(scratch, 'deploy-secret.txt');
    await writeFile(secretPath, `${secret}\n`);
    const faults = new Map([
      [
        1,
        {
          kind: 'error' as const,
          status: 429,
          type: 'rate_limit_error',
          message: 'Number of request tokens has exceeded your per-minute rate limit',
          headers: { 'retry-after': '1' },
        },
      ],
      [5, { kind: 'error' as const, status: 529, type: 'overloaded_error', message: 'Overloaded' }],
    ]);
    server = await startFakeAnthropicServer(withFaults(createEngineer({ secretPath }), faults));
    run = await runLoom(['run', '--workspace', repository, 'fix the failing test'], {
      HOME: scratch,
      LOOM_DATA_DIR: join(scratch, 'data'),
      ANTHROPIC_API_KEY: apiKey,
      ANTHROPIC_BASE_URL: server.url,
      // A provider-like secret in the environment that is not Loom's: it must not leak either.
      DEPLOY_TOKEN: secret,
    });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await rm(repository, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  it('exits 0 and prints the answer on stdout and the steps on stderr', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(engineerAnswer);
    expect(run.stderr).toContain('bash: node test.js');
    expect(run.stderr).toContain('edit_file sum.js');
    expect(run.stderr).toMatch(/rate_limited HTTP 429, retry 1/);
    expect(run.stderr).toMatch(/upstream_unavailable HTTP 529, retry 1/);
    expect(run.stderr).toMatch(/done \(\d+ turns/);
    expect(run.stderr).toContain('sandboxed');
  });

  it('fixed the file on disk, and the test passes afterwards', async () => {
    expect(await readFile(join(repository, 'sum.js'), 'utf8')).toContain('return a + b;');
    expect(execFileSync('node', ['test.js'], { cwd: repository, encoding: 'utf8' })).toContain('PASS');
  });

  it('ran the real failing test through bash, then saw it pass', () => {
    const last = server.requests.at(-1);
    const testRuns = toolSteps(last!.body).filter(
      (step) => step.name === 'bash' && step.input.command === 'node test.js',
    );
    expect(testRuns).toHaveLength(2);
    expect(testRuns[0]?.result?.isError).toBe(true);
    expect(testRuns[0]?.result?.text).toMatch(/AssertionError|sum\(2, 3\) should be 5/);
    expect(testRuns[1]?.result).toMatchObject({ isError: false });
    expect(testRuns[1]?.result?.text).toContain('PASS sum(2, 3) === 5');
  });

  it('survived one 429 (waiting out retry-after) and one 529, resending the same request', () => {
    const [first, limited, retried] = server.requests.slice(0, 3);
    expect(limited?.rawBody).toBe(retried?.rawBody);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(first?.rawBody).not.toBe(limited?.rawBody);
    expect(server.requests[5]?.rawBody).toBe(server.requests[6]?.rawBody);
    expect(server.requests.every((request) => request.body.stream === true)).toBe(true);
  });

  it('sent the careful-engineer prompt with the repository instructions from AGENTS.md', () => {
    const system = systemText(server.requests[0]!.body);
    expect(system).toMatch(/run the project's own tests/i);
    expect(system).toContain('Run the tests with `node test.js`.');
    expect(server.requests[0]?.body.tools?.map((tool) => tool.name).sort()).toEqual([
      'bash',
      'edit_file',
      'glob',
      'grep',
      'list_files',
      'read_file',
      'write_file',
    ]);
  });

  it('never let the secret file or the environment reach the model', () => {
    const last = server.requests.at(-1)!.body;
    const probes = toolSteps(last).filter((step) => JSON.stringify(step.input).includes(secretPath));
    expect(probes.map((step) => step.name).sort()).toEqual(['bash', 'read_file']);
    expect(probes.find((step) => step.name === 'read_file')?.result?.text).toMatch(/outside the workspace/i);
    // The probe really ran inside the sandbox: it printed an environment, just not ours.
    const probeOutput = probes.find((step) => step.name === 'bash')?.result?.text ?? '';
    expect(probeOutput).toContain('PATH=');
    expect(probeOutput).toMatch(/No such file or directory/);
    for (const request of server.requests) {
      expect(request.rawBody).not.toContain(secret);
      expect(request.rawBody).not.toContain(apiKey);
      expect(request.rawBody).not.toContain('ANTHROPIC');
    }
    expect(server.requests[0]?.headers['x-api-key']).toBe(apiKey);
  });
});
