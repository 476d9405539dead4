/**
 * The threads part of the store contract, run against both adapters (from store-contract.ts). Each
 * test writes threads of its own owner and searches for words of its own, so results stay exact on a
 * database other tests share.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isLoomError, type LoomErrorCode } from '../../src/errors/index.js';
import type { Store } from '../../src/store/index.js';
import { describeThreadSearchContract } from './threads-search-contract.js';
import {
  appendToThread,
  isThreadId,
  newThreadId,
  type NewThreadMessage,
  type ThreadContent,
  type ThreadSource,
} from '../../src/threads/index.js';

interface ThreadsHarness {
  store: Store;
  openAnother: () => Promise<Store>;
}

/** A random lower-case word no other test uses (letters only: never mistaken for a commit SHA). */
export function uniqueWord(prefix = 'w'): string {
  const letters = [...randomBytes(10)].map((byte) => String.fromCharCode(97 + (byte % 26))).join('');
  return `${prefix}${letters}`;
}

async function expectCode(promise: Promise<unknown>, code: LoomErrorCode) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isLoomError(error) ? error.code : error).toBe(code);
  return error as Error & { details: Record<string, unknown> };
}

const sha = (): string => randomBytes(20).toString('hex');

/** A worker's first run on an issue: the task, a tool call, its result, the answer. */
export function runTranscript(task: string, runId: string): NewThreadMessage[] {
  return [
    { role: 'user', content: task, runId },
    {
      role: 'assistant',
      content: 'Reading the test first.',
      tool_calls: [{ id: 'call-1', name: 'read_file', arguments: { path: 'src/math.js', limit: 20 } }],
      runId,
    },
    { role: 'tool', content: '1\texport const add = (a, b) => a - b;', tool_call_id: 'call-1', runId },
    { role: 'tool', content: 'bash: exit code 1', tool_call_id: 'call-2', is_error: true, runId },
    { role: 'assistant', content: 'Fixed add() on branch feature/fix-add.', runId },
  ];
}

export function describeThreadsContract(getHarness: () => ThreadsHarness): void {
  describe('threads', () => {
    const threads = () => getHarness().store.threads;
    const issue = (repository: string, number = 12): ThreadSource => ({
      kind: 'github',
      repository,
      number,
      type: 'issue',
    });

    it('creates a thread with a T-<uuidv7> id at version 1 and reads it back whole', async () => {
      const owner = uniqueWord('owner');
      const repository = `acme/${uniqueWord('repo')}`;
      const created = await threads().create({
        title: 'Fix add()',
        owner,
        sources: [issue(repository)],
        git: { branch: 'loom/12-fix-add', base: 'main' },
        agentState: { state: 'WaitingForUserInput', step: 2 },
        messages: runTranscript('please fix add() in src/math.js', 'run-1'),
      });
      expect(isThreadId(created.id)).toBe(true);
      expect(created).toMatchObject({
        version: 1,
        title: 'Fix add()',
        owner,
        status: 'open',
        visibility: 'team',
        repository,
        sources: [issue(repository)],
        git: { branch: 'loom/12-fix-add', base: 'main', commits: [] },
        agentState: { state: 'WaitingForUserInput', step: 2 },
        costUsd: 0,
        turns: 0,
        runIds: [],
        messageCount: 5,
      });
      expect(created.messages.map((message) => message.seq)).toEqual([0, 1, 2, 3, 4]);
      expect(created.messages[1]).toMatchObject({
        role: 'assistant',
        tool_calls: [{ id: 'call-1', name: 'read_file', arguments: { path: 'src/math.js', limit: 20 } }],
        runId: 'run-1',
      });
      expect(created.messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call-1', is_error: false });
      expect(created.messages[3]).toMatchObject({ role: 'tool', is_error: true });
      expect(created.messages[0]?.createdAt).toBeInstanceOf(Date);
      expect(await threads().get(created.id)).toEqual(created);
      expect(await threads().get(`T-${randomUUID()}`)).toBeUndefined();
    });

    it('finds the live thread of a source by value or key, so follow-ups continue it', async () => {
      const repository = `Acme/${uniqueWord('repo')}`;
      const created = await threads().create({ title: 't', owner: 'o', sources: [issue(repository, 7)] });
      expect((await threads().findBySource(issue(repository, 7)))?.id).toBe(created.id);
      expect((await threads().findBySource(`github:${repository.toLowerCase()}#7`))?.id).toBe(created.id);
      expect(await threads().findBySource(issue(repository, 8))).toBeUndefined();
      await expectCode(
        threads().create({ title: 'u', owner: 'o', sources: [issue(repository, 7)] }),
        'conflict',
      );
    });

    it('appends messages at the expected version and applies the patch', async () => {
      const thread = await threads().create({
        title: 't',
        owner: 'o',
        messages: runTranscript('x', 'run-1'),
      });
      const commit = sha();
      const next = await threads().appendMessages(
        thread.id,
        1,
        [{ role: 'user', content: 'and the docs too', runId: 'run-2' }],
        { status: 'running', runId: 'run-2', costUsd: 0.25, turns: 3, git: { commits: [commit] } },
      );
      expect(next).toMatchObject({
        version: 2,
        status: 'running',
        runIds: ['run-2'],
        costUsd: 0.25,
        turns: 3,
        messageCount: 6,
        git: { commits: [commit] },
      });
      expect(next.messages.at(-1)).toMatchObject({ seq: 5, content: 'and the docs too', runId: 'run-2' });
      const again = await threads().update(thread.id, 2, { runId: 'run-2', git: { branch: 'feature/x' } });
      expect(again).toMatchObject({
        version: 3,
        runIds: ['run-2'],
        git: { branch: 'feature/x', commits: [commit] },
      });
    });

    it('refuses a write at a stale version with conflict, and an unknown thread with not_found', async () => {
      const thread = await threads().create({ title: 't', owner: 'o' });
      await threads().update(thread.id, 1, { title: 'renamed' });
      const error = await expectCode(
        threads().appendMessages(thread.id, 1, [{ role: 'user', content: 'late' }]),
        'conflict',
      );
      expect(error.details).toMatchObject({ threadId: thread.id, expectedVersion: 1, currentVersion: 2 });
      expect((await threads().get(thread.id))?.messageCount).toBe(0);
      await expectCode(threads().update(`T-${randomUUID()}`, 1, { title: 'x' }), 'not_found');
      await expectCode(threads().update(thread.id, 2, { costUsd: -1 }), 'invalid_input');
    });

    it('lets exactly one of 12 concurrent writers at the same version win, across two stores', async () => {
      const other = await getHarness().openAnother();
      const thread = await threads().create({ title: 't', owner: 'o' });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, index) =>
          (index % 2 === 0 ? threads() : other.threads).appendMessages(thread.id, 1, [
            { role: 'user', content: `writer ${index}` },
          ]),
        ),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'conflict' });
      }
      expect(await threads().get(thread.id)).toMatchObject({ version: 2, messageCount: 1 });
    });

    it('appendToThread re-applies after conflicts: 12 concurrent appends all land once, in order', async () => {
      const other = await getHarness().openAnother();
      const thread = await threads().create({ title: 't', owner: 'o' });
      await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          appendToThread(
            index % 2 === 0 ? threads() : other.threads,
            thread.id,
            [{ role: 'user', content: `note ${index}` }],
            (current) => ({ turns: current.turns + 1 }),
            { attempts: 50 },
          ),
        ),
      );
      const final = await threads().get(thread.id);
      expect(final).toMatchObject({ version: 13, messageCount: 12, turns: 12 });
      expect(final?.messages.map((message) => message.seq)).toEqual([...Array(12).keys()]);
      expect(new Set(final?.messages.map((message) => message.content)).size).toBe(12);
    });

    it('treats a retried write with the same write id as done, not as a conflict or a duplicate', async () => {
      const thread = await threads().create({ title: 't', owner: 'o' });
      const writeId = randomUUID();
      const message: NewThreadMessage = { role: 'assistant', content: 'once' };
      await threads().appendMessages(thread.id, 1, [message], {}, { writeId });
      const retried = await threads().appendMessages(thread.id, 1, [message], {}, { writeId });
      expect(retried).toMatchObject({ version: 2, messageCount: 1 });
      await threads().update(thread.id, 2, { title: 'someone else wrote since' });
      expect((await threads().appendMessages(thread.id, 1, [message], {}, { writeId })).messageCount).toBe(1);
      await expectCode(
        threads().appendMessages(thread.id, 1, [message], {}, { writeId: randomUUID() }),
        'conflict',
      );
    });

    it('links sources once, refuses a source of another thread, and fills the repository', async () => {
      const repository = `acme/${uniqueWord('repo')}`;
      const thread = await threads().create({ title: 't', owner: 'o' });
      const pr: ThreadSource = { kind: 'github', repository, number: 13, type: 'pull_request' };
      const linked = await threads().linkSource(thread.id, pr);
      expect(linked).toMatchObject({ version: 2, repository, sources: [pr] });
      expect((await threads().linkSource(thread.id, pr)).version).toBe(2);
      const slack: ThreadSource = {
        kind: 'slack',
        teamId: 'T1',
        channelId: 'C1',
        threadTs: `${Date.now()}.0001`,
      };
      expect((await threads().linkSource(thread.id, slack)).sources).toEqual([pr, slack]);
      expect((await threads().findBySource(slack))?.id).toBe(thread.id);
      const another = await threads().create({ title: 'u', owner: 'o' });
      await expectCode(threads().linkSource(another.id, pr), 'conflict');
      await expectCode(threads().linkSource(`T-${randomUUID()}`, slack), 'not_found');
    });

    it('soft-deletes: hidden from get, list, search and its sources, which become free again', async () => {
      const owner = uniqueWord('owner');
      const word = uniqueWord();
      const repository = `acme/${uniqueWord('repo')}`;
      const thread = await threads().create({ title: word, owner, sources: [issue(repository)] });
      await threads().softDelete(thread.id);
      await threads().softDelete(thread.id);
      expect(await threads().get(thread.id)).toBeUndefined();
      expect(await threads().findBySource(issue(repository))).toBeUndefined();
      expect((await threads().list({ owner })).threads).toEqual([]);
      expect((await threads().search(word)).hits).toEqual([]);
      await expectCode(threads().update(thread.id, 2, { title: 'x' }), 'not_found');
      await expectCode(threads().softDelete(`T-${randomUUID()}`), 'not_found');
      expect((await threads().create({ title: 'new', owner, sources: [issue(repository)] })).version).toBe(1);
    });

    it('replaces a whole thread at its version, and creates one when no version is given', async () => {
      const oldWord = uniqueWord();
      const newWord = uniqueWord();
      const content: ThreadContent = {
        title: `about ${oldWord}`,
        owner: 'o',
        status: 'done',
        visibility: 'team',
        sources: [{ kind: 'cli', session: randomUUID() }],
        git: { commits: [] },
        agentState: {},
        costUsd: 1.5,
        turns: 4,
        runIds: ['r1'],
        messages: [
          { role: 'user', content: `talk about ${oldWord}`, createdAt: new Date('2024-01-02T03:04:05Z') },
        ],
        createdAt: new Date('2024-01-01T00:00:00Z'),
      };
      const threadId = newThreadId();
      const created = await threads().replace(threadId, undefined, content);
      expect(created).toMatchObject({
        id: threadId,
        version: 1,
        status: 'done',
        costUsd: 1.5,
        runIds: ['r1'],
      });
      expect(created.createdAt.toISOString()).toBe('2024-01-01T00:00:00.000Z');
      expect(created.messages[0]?.createdAt.toISOString()).toBe('2024-01-02T03:04:05.000Z');
      await expectCode(threads().replace(threadId, undefined, content), 'conflict');
      const replaced = await threads().replace(threadId, 1, {
        ...content,
        title: `about ${newWord}`,
        messages: [
          { role: 'user', content: `now ${newWord}` },
          { role: 'assistant', content: 'ok' },
        ],
      });
      expect(replaced).toMatchObject({ version: 2, messageCount: 2, title: `about ${newWord}` });
      expect((await threads().search(oldWord)).hits).toEqual([]);
      expect((await threads().search(newWord)).hits.map((hit) => hit.thread.id)).toEqual([threadId]);
      await expectCode(threads().replace(threadId, 1, content), 'conflict');
    });

    it('lists newest activity first, filtered, in pages', async () => {
      const owner = uniqueWord('owner');
      const repository = `acme/${uniqueWord('repo')}`;
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        const thread = await threads().create({
          title: `t${index}`,
          owner,
          sources: index < 3 ? [issue(repository, index + 1)] : [],
          status: index === 0 ? 'done' : 'open',
        });
        ids.push(thread.id);
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      const first = await threads().list({ owner }, { limit: 2 });
      expect(first.threads.map((thread) => thread.id)).toEqual([ids[4], ids[3]]);
      const second = await threads().list({ owner }, { limit: 2, cursor: first.nextCursor });
      const third = await threads().list({ owner }, { limit: 2, cursor: second.nextCursor });
      expect([...second.threads, ...third.threads].map((thread) => thread.id)).toEqual([
        ids[2],
        ids[1],
        ids[0],
      ]);
      expect(third.nextCursor).toBeUndefined();
      expect((await threads().list({ owner, repository })).threads).toHaveLength(3);
      expect((await threads().list({ owner, source: 'github' })).threads).toHaveLength(3);
      expect((await threads().list({ owner, source: 'slack' })).threads).toHaveLength(0);
      expect((await threads().list({ owner, status: 'done' })).threads.map((thread) => thread.id)).toEqual([
        ids[0],
      ]);
      await expectCode(threads().list({}, { cursor: 'not-a-cursor' }), 'invalid_input');
    });

    describeThreadSearchContract(threads);
  });
}
