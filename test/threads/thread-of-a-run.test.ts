/**
 * "Done when" of threads: a real agent run (the runtime with a scripted model and the real tools on a
 * temp workspace) is recorded in the thread of its GitHub issue the way a worker does it; then the API
 * finds the thread by a word of the task, and the thread holds the run's tool calls, results and source.
 * A second run (a follow-up on the same issue) continues the same thread.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgent, type AgentRunResult } from '../../src/agent/index.js';
import { createScriptedLlmClient, scriptedStep } from '../../src/llm/index.js';
import { appendToThread, type ThreadRepository, type ThreadSource } from '../../src/threads/index.js';
import { createToolRegistry } from '../../src/tools/index.js';
import {
  startThreadsServer,
  type ThreadsApiAnswer,
  type ThreadsServer,
} from './support/start-threads-server.js';

let server: ThreadsServer;
let workspace: string;

beforeAll(async () => {
  server = await startThreadsServer();
  workspace = await mkdtemp(join(tmpdir(), 'loom-threads-run-'));
  await mkdir(join(workspace, 'src'));
  await writeFile(join(workspace, 'src/math.js'), 'export const add = (a, b) => a - b;\n');
});

afterAll(async () => {
  await server.close();
  await rm(workspace, { recursive: true, force: true });
});

const issue: ThreadSource = { kind: 'github', repository: 'acme/calc', number: 42, type: 'issue' };

/** What a worker does around one run: find or create the thread of the source, run, append. */
async function runAndRecord(
  threads: ThreadRepository,
  task: string,
  runId: string,
  script: Parameters<typeof createScriptedLlmClient>[0],
) {
  const thread =
    (await threads.findBySource(issue)) ??
    (await threads.create({ title: task, owner: 'octocat', sources: [issue] }));
  const result: AgentRunResult = await runAgent({
    llm: createScriptedLlmClient(script),
    model: 'scripted',
    tools: createToolRegistry({ workspace }),
    messages: thread.messages.map(({ seq: _seq, createdAt: _at, runId: _run, ...message }) => message),
    prompt: task,
  });
  const newMessages = result.messages.slice(thread.messageCount).map((message) => ({ ...message, runId }));
  return appendToThread(threads, thread.id, newMessages, (current) => ({
    status: result.status,
    runId,
    turns: current.turns + result.turns,
    costUsd: current.costUsd + result.usage.cost_usd,
  }));
}

const api = async (path: string) => {
  const response = await fetch(`${server.url}/api/threads${path}`, {
    headers: { authorization: `Bearer ${server.token('octocat')}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ThreadsApiAnswer;
};

describe('the thread of a run', () => {
  it('is found through the API by a word of the task and holds the run\u2019s tool calls and source', async () => {
    const recorded = await runAndRecord(
      server.store.threads,
      'The calculator subtracts instead of adding: fix add()',
      'run-1',
      [
        scriptedStep.toolCalls([{ id: 'read-1', name: 'read_file', arguments: { path: 'src/math.js' } }]),
        scriptedStep.toolCalls([
          {
            id: 'edit-1',
            name: 'edit_file',
            arguments: { path: 'src/math.js', edits: [{ old_str: 'a - b', new_str: 'a + b' }] },
          },
        ]),
        scriptedStep.text('Fixed add() in src/math.js.'),
      ],
    );
    expect(await readFile(join(workspace, 'src/math.js'), 'utf8')).toContain('a + b');
    expect(recorded).toMatchObject({ status: 'done', runIds: ['run-1'], turns: 3 });

    const found = await api('/search?q=subtracts');
    expect(found.hits.map((hit) => hit.thread.id)).toEqual([recorded.id]);
    expect(found.hits[0]?.snippet.text).toContain('subtracts');
    expect((await api('/search?q=src/math.js')).hits[0]?.thread.id).toBe(recorded.id);

    const { thread } = await api(`/${recorded.id}`);
    expect(thread.sources).toEqual([issue]);
    expect(thread.repository).toBe('acme/calc');
    const calls = thread.messages.flatMap((message) => (message.tool_calls ?? []).map((call) => call.name));
    expect(calls).toEqual(['read_file', 'edit_file']);
    const results = thread.messages.filter((message) => message.role === 'tool');
    expect(results.map((message) => message.tool_call_id)).toEqual(['read-1', 'edit-1']);
    expect(results[0]?.content).toContain('a - b');
    expect(results.every((message) => message.is_error === false)).toBe(true);
    expect(thread.messages.every((message) => message.runId === 'run-1')).toBe(true);
  });

  it('continues the same thread on a follow-up of the same issue', async () => {
    const first = await server.store.threads.findBySource(issue);
    const second = await runAndRecord(server.store.threads, 'also add a multiply() helper', 'run-2', [
      scriptedStep.toolCalls([
        {
          id: 'write-1',
          name: 'write_file',
          arguments: { path: 'src/multiply.js', content: 'export const multiply = (a, b) => a * b;\n' },
        },
      ]),
      scriptedStep.text('Added multiply().'),
    ]);
    expect(second.id).toBe(first?.id);
    expect(second.runIds).toEqual(['run-1', 'run-2']);
    expect(second.messageCount).toBeGreaterThan(first?.messageCount ?? Infinity);
    expect((await api('/search?q=multiply')).hits.map((hit) => hit.thread.id)).toEqual([second.id]);
  });
});
