/**
 * The conversation log of the REPL and `loom run` over a real SQLite store: what `loom resume`
 * reads back is what the runs recorded, with cost, turns and status summed up on the thread.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRunResult } from '../../src/agent/index.js';
import { createConversationLog, type ConversationLog } from '../../src/cli/run/conversation-log.js';
import { isLoomError } from '../../src/errors/index.js';
import type { ChatMessage } from '../../src/llm/index.js';
import { openStore, type Store } from '../../src/store/index.js';

function runResult(messages: ChatMessage[], overrides: Partial<AgentRunResult> = {}): AgentRunResult {
  return {
    status: 'done',
    answer: messages.at(-1)?.content ?? '',
    usage: { input_tokens: 100, output_tokens: 10, cost_usd: 0.5 },
    turns: 2,
    filesChanged: [],
    commands: [],
    messages,
    ...overrides,
  };
}

const firstRun: ChatMessage[] = [
  { role: 'user', content: 'list files' },
  { role: 'assistant', content: '', tool_calls: [{ id: 'c1', name: 'list_files', arguments: {} }] },
  { role: 'tool', content: 'a.txt', tool_call_id: 'c1' },
  { role: 'assistant', content: 'There is a.txt.' },
];

describe('createConversationLog', () => {
  let dataDir: string;
  let store: Store;
  let log: ConversationLog;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'loom-conversations-'));
    store = await openStore({ dataDir });
    log = createConversationLog(store.threads, 'local:tester');
  });

  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const record = (conversationId: string | undefined, previousLength: number, result: AgentRunResult) =>
    log.record({
      conversationId,
      previousLength,
      result,
      title: 'list files',
      workspace: '/src/app',
      model: 'anthropic/claude-sonnet-4-6',
    });

  it('saves a run as a new conversation and reads the transcript back for a resume', async () => {
    const id = await record(undefined, 0, runResult(firstRun));
    const conversation = await log.load(id);
    expect(conversation).toEqual({ id, messages: firstRun, workspace: '/src/app' });
    const thread = await store.threads.get(id);
    expect(thread).toMatchObject({
      title: 'list files',
      owner: 'local:tester',
      status: 'done',
      costUsd: 0.5,
      turns: 2,
    });
    expect(thread?.sources[0]?.kind).toBe('cli');
  });

  it('appends only the messages a later run added, and sums cost and turns', async () => {
    const id = await record(undefined, 0, runResult(firstRun));
    const second = [...firstRun, { role: 'user' as const, content: 'thanks' }];
    await record(
      id,
      firstRun.length,
      runResult(second, {
        status: 'cancelled',
        turns: 0,
        usage: { input_tokens: 0, output_tokens: 0, cost_usd: 0 },
      }),
    );
    const conversation = await log.load(id);
    expect(conversation.messages).toEqual(second);
    expect(await store.threads.get(id)).toMatchObject({
      status: 'cancelled',
      costUsd: 0.5,
      turns: 2,
      messageCount: 5,
    });
  });

  it('resumes the newest local conversation when no id is given', async () => {
    await record(undefined, 0, runResult(firstRun));
    const newer = await record(undefined, 0, runResult([{ role: 'user', content: 'newer' }]));
    expect((await log.load(undefined)).id).toBe(newer);
  });

  it('says not_found for an unknown id and when nothing was saved yet', async () => {
    for (const id of [undefined, 'T-01a21326-7fbd-766b-92a1-4fcb483a6d97']) {
      const caught = await log.load(id).catch((error: unknown) => error);
      expect(isLoomError(caught, 'not_found')).toBe(true);
    }
  });
});
