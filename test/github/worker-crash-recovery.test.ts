/**
 * RELIABILITY 25 and 27 for GitHub runs: the worker process is killed (SIGKILL) while the agent is
 * working; the job's lock expires, another worker takes it over from the journal, and the run still
 * ends with one tracking comment (the same one, edited), one final comment, one push and one PR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../queue/support/wait-for.js';
import { fixFailingTestScript } from './support/engineer-script.js';
import {
  createWorkerHarness,
  githubRequest,
  owner,
  repo,
  type WorkerHarness,
} from './support/github-worker-harness.js';
import { hostedBranches, hostedFile } from './support/hosted-repository.js';

const fixture = fileURLToPath(new URL('./fixtures/github-worker-process.ts', import.meta.url));

function startWorkerProcess(environment: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
} {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('GitHub worker: a worker dies mid-run', () => {
  let harness: WorkerHarness | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await harness?.cleanup();
    harness = undefined;
  });

  it('resumes on another worker and ends with one PR and one final comment', async () => {
    let slowFirstTurn = true;
    harness = await createWorkerHarness({
      api: 'loopback',
      script: fixFailingTestScript({
        firstTurn: () =>
          slowFirstTurn ? { tools: [{ name: 'bash', input: { command: 'sleep 120' } }] } : undefined,
      }),
    });
    const h = harness;
    h.fake.permissions.set('alice', 'write');
    h.fake.issues.set(12, { title: 'sum returns the wrong result', body: '' });
    const worker = startWorkerProcess(h.childEnvironment());
    child = worker.child;
    await waitFor(() => worker.output().includes('"ready"'), {
      // A loaded 2-core CI machine can take a while to start a tsx process.
      timeoutMs: 120_000,
      what: `the worker process (${worker.output()})`,
    });
    const jobId = await h.enqueue(githubRequest({ number: 12, prompt: '@loom-bot fix the failing test' }));
    await waitFor(() => h.fake.botComments(12)[0]?.body.includes('now: `bash: sleep 120`'), {
      timeoutMs: 90_000,
      what: 'the agent to be working in the first worker',
    });
    const trackingId = h.fake.botComments(12)[0]?.id;
    child.kill('SIGKILL');
    await new Promise((resolve) => child?.once('exit', resolve));
    slowFirstTurn = false;

    h.startWorker({}, { lockDuration: 2_000, stalledInterval: 1_000 });
    const run = await h.finishedRun(jobId, 150_000);
    expect(run.status).toBe('done');
    expect(run.attempts).toBeGreaterThanOrEqual(2);

    const branch = 'loom/12-sum-returns-the-wrong-result';
    expect(await hostedFile(h.git.root, owner, repo, branch, 'sum.js')).toContain('a + b');
    expect(Object.keys(await hostedBranches(h.git.root, owner, repo)).sort()).toEqual([branch, 'main']);
    expect(h.git.pushes()).toHaveLength(1);
    expect(h.fake.pulls).toHaveLength(1);
    const comments = h.fake.botComments(12);
    expect(comments.map((comment) => comment.id)[0]).toBe(trackingId);
    expect(comments).toHaveLength(2);
    expect(comments[0]?.body).toContain('✅ Loom finished');
    expect(comments[1]?.body).toContain(`Opened draft pull request #${h.fake.pulls[0]?.number}`);
    expect(h.fake.checkRuns).toHaveLength(1);
  }, 300_000);
});
