/**
 * The done-when of the Kubernetes backend: with LOOM_WEAVER=kubernetes (config through
 * `loadConfig`, backend through `createWeaver`), an agent run fixes a real bug. The repository is
 * shipped into the pod as a git bundle, the model (scripted) runs the failing test, edits the
 * file, runs the test again and commits, all through the exec stream; the worker takes the commit
 * back as a bundle, and the pod is gone afterwards.
 */
import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/index.js';
import type { AgentRunResult } from '../../src/agent/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createScriptedLlmClient, type ScriptedLlmClient, type ScriptedStep } from '../../src/llm/index.js';
import { createWeaver, type WeaverBackend } from '../../src/weaver/index.js';
import { createBuggyRepository } from '../e2e/support/buggy-repository.js';
import { bundleOf, captureLogger, git } from '../weaver/weaver-test-support.js';
import type { FakeKubernetesApi } from './support/fake-kubernetes-api.js';
import {
  podTestTimeoutMs,
  startFakeCluster,
  testNamespace,
} from './support/kubernetes-weaver-test-support.js';

const engineer: ScriptedStep[] = [
  {
    kind: 'reply',
    text: 'Let me run the tests first.',
    toolCalls: [{ name: 'bash', arguments: { command: 'node test.js' } }],
  },
  { kind: 'reply', toolCalls: [{ name: 'read_file', arguments: { path: 'sum.js' } }] },
  {
    kind: 'reply',
    text: 'sum subtracts; it should add.',
    toolCalls: [
      {
        name: 'edit_file',
        arguments: { path: 'sum.js', edits: [{ old_str: 'return a - b;', new_str: 'return a + b;' }] },
      },
    ],
  },
  { kind: 'reply', toolCalls: [{ name: 'bash', arguments: { command: 'node test.js' } }] },
  {
    kind: 'reply',
    toolCalls: [
      {
        name: 'bash',
        arguments: {
          command: 'git commit -q -am "Fix sum: add instead of subtract" && git log -1 --format=%s',
        },
      },
    ],
  },
  { kind: 'reply', text: 'Fixed: `sum` now adds, and `node test.js` passes.' },
];

describe('an agent run with LOOM_WEAVER=kubernetes', () => {
  let fake: FakeKubernetesApi;
  let backend: WeaverBackend;
  let repository: string;
  let base: string;
  let llm: ScriptedLlmClient;
  let result: AgentRunResult;
  let exported: Buffer | undefined;
  let podsDuringRun: string[] = [];

  beforeAll(async () => {
    fake = await startFakeCluster();
    repository = await createBuggyRepository();
    base = git(repository, 'rev-parse', 'HEAD');
    const config = loadConfig({
      LOOM_WEAVER: 'kubernetes',
      LOOM_WEAVER_NAMESPACE: testNamespace,
      LOOM_WEAVER_IMAGE: 'registry.example.test/loom-weaver:0.1.0',
      LOOM_WEAVER_MAX_CONCURRENT: '2',
    });
    backend = await createWeaver(config, {
      logger: captureLogger().logger,
      kubeConfig: fake.kubeConfig(),
      ownerId: 'worker-e2e',
      kubernetes: { pidsLimit: 4096 },
    });
    const weaver = await backend.open({ jobId: 'github-delivery-7', repository: 'acme/calculator' });
    podsDuringRun = fake.store.list().map((pod) => pod.metadata!.name!);
    try {
      await weaver.importBundle(bundleOf(repository, 'HEAD', 'main'));
      llm = createScriptedLlmClient(engineer);
      result = await runAgent({
        llm,
        model: 'scripted-model',
        tools: weaver,
        prompt: 'Fix the failing test.',
      });
      exported = await weaver.exportBundle(base);
    } finally {
      await weaver.close();
    }
  }, podTestTimeoutMs);

  afterAll(async () => {
    await backend?.close();
    await fake?.close();
    await rm(repository, { recursive: true, force: true });
  });

  it('ran in one pod of the weaver namespace, which is gone afterwards', () => {
    expect(backend.kind).toBe('kubernetes');
    expect(podsDuringRun).toHaveLength(1);
    expect(fake.execSessions.map((session) => session.pod)).toEqual(podsDuringRun);
    expect(fake.store.list()).toEqual([]);
  });

  it('finished the task with the answer', () => {
    expect(result.status).toBe('done');
    expect(result.answer).toBe('Fixed: `sum` now adds, and `node test.js` passes.');
    expect(result.turns).toBe(6);
  });

  it('saw the test fail, then pass, through tools that ran in the pod', () => {
    const toolMessages = result.messages.filter((message) => message.role === 'tool');
    expect(toolMessages).toHaveLength(5);
    const [failing, source, edit, passing, commit] = toolMessages;
    expect(failing?.is_error).toBe(true);
    expect(failing?.content).toMatch(/sum\(2, 3\) should be 5/);
    expect(source?.content).toContain('return a - b;');
    expect(edit?.is_error).toBeFalsy();
    expect(passing?.is_error).toBeFalsy();
    expect(passing?.content).toContain('PASS sum(2, 3) === 5');
    expect(commit?.content).toContain('Fix sum: add instead of subtract');
    expect(result.commands.map((command) => [command.command, command.exitCode])).toEqual([
      ['node test.js', 1],
      ['node test.js', 0],
      ['git commit -q -am "Fix sum: add instead of subtract" && git log -1 --format=%s', 0],
    ]);
  });

  it('brought the fix back as a bundle the worker can push, and the test passes there', async () => {
    expect(exported).toBeInstanceOf(Buffer);
    const bundleFile = path.join(repository, '.git', 'from-pod.bundle');
    await writeFile(bundleFile, exported!);
    git(repository, 'fetch', '-q', bundleFile, 'refs/heads/main:refs/remotes/weaver/main');
    expect(git(repository, 'log', '--format=%s', 'main..weaver/main')).toBe(
      'Fix sum: add instead of subtract',
    );
    git(repository, 'merge', '-q', '--ff-only', 'weaver/main');
    expect(execFileSync('node', ['test.js'], { cwd: repository, encoding: 'utf8' })).toContain('PASS');
  });
});
