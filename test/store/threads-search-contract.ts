/**
 * Thread search and sync bookkeeping, part of the threads contract (threads-contract.ts), run
 * against both adapters.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/index.js';
import { runTranscript, uniqueWord } from './threads-contract.js';

const sha = (): string => randomBytes(20).toString('hex');

export function describeThreadSearchContract(threads: () => Store['threads']): void {
  describeThreadSearch(threads);
  describeSyncBookkeeping(threads);
}

function describeThreadSearch(threads: () => Store['threads']): void {
  describe('threads search', () => {
    it('finds a thread by a word of its task, a path, a branch and a commit SHA prefix, with snippets', async () => {
      const word = uniqueWord();
      const branchWord = uniqueWord();
      const owner = uniqueWord('owner');
      const commit = sha();
      const thread = await threads().create({
        title: 'fix the calculator',
        owner,
        git: { branch: `feature/${branchWord}`, commits: [commit] },
        messages: runTranscript(`please fix ${word} in src/math.js.`, 'run-1'),
      });
      const ids = async (query: string) =>
        (await threads().search(query, { owner })).hits.map((hit) => hit.thread.id);
      expect(await ids(word)).toEqual([thread.id]);
      expect(await ids(word.toUpperCase())).toEqual([thread.id]);
      expect(await ids('src/math.js')).toEqual([thread.id]);
      expect(await ids('math')).toEqual([thread.id]);
      expect(await ids(`feature/${branchWord}`)).toEqual([thread.id]);
      expect(await ids(`feature/${word}`)).toEqual([]);
      expect(await ids(commit.slice(0, 8))).toEqual([thread.id]);
      expect(await ids(`${word.slice(0, 6)}*`)).toEqual([thread.id]);
      // Several terms must all occur in one document: a message, or the thread's own line.
      expect(await ids(`${word} src/math.js`)).toEqual([thread.id]);
      expect(await ids(`calculator feature/${branchWord}`)).toEqual([thread.id]);
      expect(await ids(`${word} ${uniqueWord()}`)).toEqual([]);
      expect(await ids('   ')).toEqual([]);

      const [hit] = (await threads().search(word, { owner })).hits;
      expect(hit?.messageSeq).toBe(0);
      expect(hit?.score).toBeGreaterThan(0);
      expect(hit?.snippet.text).toBe(`please fix ${word} in src/math.js.`);
      const [start, end] = hit?.snippet.highlights[0] ?? [0, 0];
      expect(hit?.snippet.text.slice(start, end)).toBe(word);
      const [toolHit] = (await threads().search('read_file', { owner })).hits;
      expect(toolHit?.messageSeq).toBe(1);
      expect(toolHit?.snippet.text).toContain('read_file src/math.js');
    });

    it('keeps path-like tokens whole: src/math.js does not match src/other.js', async () => {
      const owner = uniqueWord('owner');
      await threads().create({
        title: 't',
        owner,
        messages: [{ role: 'user', content: 'look at src/other.js and lib/math.ts' }],
      });
      expect((await threads().search('src/math.js', { owner })).hits).toEqual([]);
      expect((await threads().search('lib/math.ts', { owner })).hits).toHaveLength(1);
    });

    it('ranks a thread that is about the word above one that mentions it once in passing', async () => {
      const owner = uniqueWord('owner');
      const word = uniqueWord();
      const filler = 'unrelated words about the build and the deploy pipeline';
      const passing = await threads().create({
        title: 'other',
        owner,
        messages: [{ role: 'user', content: `${filler} ${filler} ${filler} and once ${word} ${filler}` }],
      });
      const focused = await threads().create({
        title: 'focused',
        owner,
        messages: [{ role: 'user', content: `${word}: the ${word} is broken, ${word} again` }],
      });
      const { hits } = await threads().search(word, { owner });
      expect(hits.map((hit) => hit.thread.id)).toEqual([focused.id, passing.id]);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    });

    it('filters by repository, source, status and owner, and pages through ranked results', async () => {
      const owner = uniqueWord('owner');
      const word = uniqueWord();
      const repository = `acme/${uniqueWord('repo')}`;
      for (let index = 0; index < 5; index += 1) {
        await threads().create({
          title: `${word} ${index}`,
          owner,
          status: index % 2 === 0 ? 'done' : 'failed',
          sources:
            index < 2
              ? [{ kind: 'github', repository, number: index + 1, type: 'issue' }]
              : [{ kind: 'slack', teamId: 'T', channelId: 'C', threadTs: `${randomUUID()}` }],
        });
      }
      const count = async (filters: Parameters<Store['threads']['search']>[1]) =>
        (await threads().search(word, { owner, ...filters }, { limit: 100 })).hits.length;
      expect(await count({})).toBe(5);
      expect(await count({ repository })).toBe(2);
      expect(await count({ source: 'slack' })).toBe(3);
      expect(await count({ status: 'done' })).toBe(3);
      expect(await count({ status: 'failed', source: 'github' })).toBe(1);
      expect((await threads().search(word, { owner: uniqueWord('nobody') })).hits).toEqual([]);

      const first = await threads().search(word, { owner }, { limit: 2 });
      const second = await threads().search(word, { owner }, { limit: 2, cursor: first.nextCursor });
      const third = await threads().search(word, { owner }, { limit: 2, cursor: second.nextCursor });
      const all = [...first.hits, ...second.hits, ...third.hits].map((hit) => hit.thread.id);
      expect(new Set(all).size).toBe(5);
      expect(third.nextCursor).toBeUndefined();
    });

    it('finds and ranks matches far apart in time, unfiltered and filtered, over thousands of documents', async () => {
      // More documents between the two matches than the newest search window (PostgreSQL reads
      // matches window by window, newest first; SQLite walks its doclists newest first).
      const owner = uniqueWord('owner');
      const word = uniqueWord();
      const repository = `acme/${uniqueWord('repo')}`;
      const focused = await threads().create({
        title: 'old',
        owner,
        status: 'failed',
        repository,
        messages: [{ role: 'user', content: `${word}: ${word} fails, ${word} again` }],
      });
      await threads().create({
        title: 'filler',
        owner: uniqueWord('owner'),
        messages: Array.from({ length: 4500 }, (_, index) => ({
          role: 'user' as const,
          content: `unrelated build output line ${index}`,
        })),
      });
      const passing = await threads().create({
        title: 'new',
        owner,
        status: 'done',
        messages: [{ role: 'user', content: `the deploy pipeline mentions ${word} once among many words` }],
      });
      const search = async (filters: Parameters<Store['threads']['search']>[1]) =>
        (await threads().search(word, filters)).hits;
      const unfiltered = await search({});
      expect(unfiltered.map((hit) => hit.thread.id)).toEqual([focused.id, passing.id]);
      expect(unfiltered[0]!.score).toBeGreaterThan(unfiltered[1]!.score);
      expect(unfiltered[0]!.snippet.text).toBe(`${word}: ${word} fails, ${word} again`);
      expect((await search({ status: 'failed' })).map((hit) => hit.thread.id)).toEqual([focused.id]);
      expect((await search({ status: 'done' })).map((hit) => hit.thread.id)).toEqual([passing.id]);
      expect((await search({ repository })).map((hit) => hit.thread.id)).toEqual([focused.id]);
      expect((await search({ owner })).map((hit) => hit.thread.id)).toEqual([focused.id, passing.id]);
      expect((await search({ owner, status: 'done' })).map((hit) => hit.thread.id)).toEqual([passing.id]);
      await threads().softDelete(focused.id);
      expect((await search({})).map((hit) => hit.thread.id)).toEqual([passing.id]);
      expect(await search({ repository })).toEqual([]);
    });

    it('filters by what a thread is now: status, visibility, repository, owner and sources changed after its messages', async () => {
      const word = uniqueWord();
      const owner = uniqueWord('owner');
      const repository = `acme/${uniqueWord('repo')}`;
      const created = await threads().create({
        title: 'changing',
        owner,
        status: 'running',
        messages: [
          { role: 'user', content: `investigate ${word}` },
          { role: 'assistant', content: `found ${word} in the logs` },
        ],
      });
      const found = async (filters: Parameters<Store['threads']['search']>[1]) =>
        (await threads().search(word, filters)).hits.map((hit) => hit.thread.id);
      expect(await found({ status: 'running' })).toEqual([created.id]);
      expect(await found({ status: 'failed' })).toEqual([]);
      expect(await found({ source: 'github' })).toEqual([]);
      expect(await found({ repository })).toEqual([]);

      const failed = await threads().update(created.id, created.version, {
        status: 'failed',
        visibility: 'private',
        repository,
      });
      expect(await found({ status: 'running' })).toEqual([]);
      expect(await found({ status: 'failed', visibility: 'private', repository })).toEqual([created.id]);
      expect(await found({ visibility: 'team' })).toEqual([]);

      await threads().linkSource(failed.id, { kind: 'github', repository, number: 7, type: 'issue' });
      expect(await found({ source: 'github', status: 'failed' })).toEqual([created.id]);

      const current = (await threads().get(created.id))!;
      const newOwner = uniqueWord('owner');
      await threads().replace(created.id, current.version, {
        ...current,
        owner: newOwner,
        messages: [...current.messages, { role: 'user', content: `and ${word} again` }],
      });
      expect(await found({ owner })).toEqual([]);
      expect(await found({ owner: newOwner, source: 'github' })).toEqual([created.id]);
    });

    it('matches accented words exactly and lets one thread appear once however many messages match', async () => {
      const owner = uniqueWord('owner');
      const word = `café${uniqueWord()}`;
      const thread = await threads().create({
        title: 't',
        owner,
        messages: Array.from({ length: 30 }, (_, index) => ({
          role: 'user' as const,
          content: `${word} ${index}`,
        })),
      });
      const { hits } = await threads().search(word.toUpperCase(), { owner });
      expect(hits.map((hit) => hit.thread.id)).toEqual([thread.id]);
    });
  });
}

function describeSyncBookkeeping(threads: () => Store['threads']): void {
  describe('threads sync bookkeeping', () => {
    it('lists changed non-private threads until marked synced, and again after a change', async () => {
      const shared = await threads().create({ title: 't', owner: 'o' });
      const secret = await threads().create({ title: 's', owner: 'o', visibility: 'private' });
      const unsynced = async () => (await threads().listUnsynced(1000)).map((thread) => thread.id);
      expect(await unsynced()).toContain(shared.id);
      expect(await unsynced()).not.toContain(secret.id);
      expect(await threads().remoteVersionOf(shared.id)).toBeUndefined();
      await threads().markSynced(shared.id, 1, 7);
      expect(await unsynced()).not.toContain(shared.id);
      expect(await threads().remoteVersionOf(shared.id)).toBe(7);
      expect((await threads().get(shared.id))?.version).toBe(1);
      await threads().appendMessages(shared.id, 1, [{ role: 'user', content: 'more' }]);
      expect(await unsynced()).toContain(shared.id);
    });
  });
}
