/**
 * SQLite's usage-writer thread: usage batches are written by a thread with its own connection, so
 * the event loop keeps running while a batch waits for SQLite's write lock or syncs; its failures
 * reach the caller as LoomErrors; the store closes it; and it never holds a process open.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoomError } from '../../src/errors/index.js';
import { usageEventFixture } from '../../src/proxy/usage-event-fixture.js';
import { openStore, type Store } from '../../src/store/index.js';
import { sqliteFileName } from '../../src/store/sqlite/open-sqlite-database.js';
import { createThreadedUsageWriter, eventsPerMessage } from '../../src/store/sqlite/threaded-usage-writer.js';

let dataDir = '';
const stores: Store[] = [];
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'loom-usage-writer-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function open(): Promise<Store> {
  const store = await openStore({ dataDir });
  stores.push(store);
  return store;
}

describe('the SQLite usage writer', () => {
  it('writes a batch off the event loop: it waits for another writer while timers keep firing', async () => {
    const store = await open();
    await store.usage.record(usageEventFixture('jti-warm', 0.5)); // the thread is up
    const other = new Database(join(dataDir, sqliteFileName));
    other.exec('begin immediate'); // holds SQLite's write lock
    let written = false;
    const write = store.usage
      .recordMany([usageEventFixture('jti-1', 1), usageEventFixture('jti-1', 2)])
      .then(() => {
        written = true;
      });
    // On the main thread the write would spin in SQLite's busy handler: no timer could fire.
    const waited = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Date.now() - waited).toBeLessThan(1_500);
    expect(written).toBe(false);
    other.exec('commit');
    other.close();
    await write;
    expect(await store.usage.spentUsd({ tokenId: 'jti-1' })).toBe(3);
    expect(await store.usage.spentUsd({ subject: 'alice' })).toBe(3.5);
  });

  it('fails the writes in flight with a retryable LoomError when the thread dies, and starts again', async () => {
    const missingDir = join(dataDir, 'not-yet');
    const writer = createThreadedUsageWriter(join(missingDir, sqliteFileName));
    const failure = await writer.recordMany([usageEventFixture('jti-1', 1)]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LoomError);
    expect(failure).toMatchObject({ code: 'dependency_unavailable', retryable: true });
    expect((failure as Error).message).toMatch(/usage writer stopped/);

    await mkdir(missingDir);
    const store = await openStore({ dataDir: missingDir }); // creates and migrates the file
    stores.push(store);
    await writer.recordMany([usageEventFixture('jti-1', 1)]);
    expect(await store.usage.spentUsd({ tokenId: 'jti-1' })).toBe(1);
    await writer.close();
  });

  it('passes a failed write back as the LoomError the thread saw, and keeps serving', async () => {
    const store = await open();
    const event = usageEventFixture('jti-1', 1);
    const failure = await store.usage
      .recordMany([{ ...event, subject: null as unknown as string }])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LoomError);
    expect((failure as LoomError).message).toMatch(/NOT NULL/i);
    await store.usage.recordMany([event]);
    expect(await store.usage.spentUsd({ tokenId: 'jti-1' })).toBe(1);
  });

  it('writes what was asked before the store closed, and refuses what comes after', async () => {
    const store = await openStore({ dataDir });
    const writes = [1, 2, 3].map((cost) => store.usage.record(usageEventFixture('jti-1', cost)));
    await store.close();
    await Promise.all(writes);
    await expect(store.usage.record(usageEventFixture('jti-1', 1))).rejects.toMatchObject({
      code: 'dependency_unavailable',
    });
    const reopened = await open();
    expect(await reopened.usage.spentUsd({ tokenId: 'jti-1' })).toBe(6);
  });

  describe('a batch larger than one message (sent in slices)', () => {
    /** `count` events of `tokenId`, costing 1, 2, 3, … (sum count·(count+1)/2). */
    const batch = (tokenId: string, count: number) =>
      Array.from({ length: count }, (_, index) => usageEventFixture(tokenId, index + 1));
    const count = eventsPerMessage * 3 + 5;
    const sum = (count * (count + 1)) / 2;

    it('is written whole, in one transaction: a bad event in its last slice writes none of it', async () => {
      const store = await open();
      await store.usage.recordMany(batch('jti-1', count));
      expect(await store.usage.spentUsd({ tokenId: 'jti-1' })).toBe(sum);
      expect(await store.usage.list({ tokenId: 'jti-1' }, 1_000)).toHaveLength(count);

      const failing = batch('jti-2', count);
      failing[count - 1] = { ...failing[count - 1]!, subject: null as unknown as string };
      await expect(store.usage.recordMany(failing)).rejects.toBeInstanceOf(LoomError);
      expect(await store.usage.spentUsd({ tokenId: 'jti-2' })).toBe(0);
    });

    it('keeps two batches sliced at the same time apart: one failing does not take the other', async () => {
      const store = await open();
      const failing = batch('jti-bad', count);
      failing[count - 1] = { ...failing[count - 1]!, subject: null as unknown as string };
      const [bad, good] = await Promise.allSettled([
        store.usage.recordMany(failing),
        store.usage.recordMany(batch('jti-good', count)),
      ]);
      expect(bad.status).toBe('rejected');
      expect(good.status).toBe('fulfilled');
      expect(await store.usage.spentUsd({ tokenId: 'jti-good' })).toBe(sum);
      expect(await store.usage.spentUsd({ tokenId: 'jti-bad' })).toBe(0);
    });

    it('is written when the store closes while it is still being sent', async () => {
      const store = await openStore({ dataDir });
      const write = store.usage.recordMany(batch('jti-1', count));
      await store.close();
      await write;
      const reopened = await open();
      expect(await reopened.usage.spentUsd({ tokenId: 'jti-1' })).toBe(sum);
    });

    it('fails with a retryable LoomError when the thread cannot start', async () => {
      const writer = createThreadedUsageWriter(join(dataDir, 'missing', sqliteFileName));
      await expect(writer.recordMany(batch('jti-1', count))).rejects.toMatchObject({
        code: 'dependency_unavailable',
        retryable: true,
      });
      await writer.close();
    });
  });

  it('does not keep a process alive once its writes are answered', async () => {
    // A CLI command that metered and forgot to close its store must still exit.
    const script = `
      import { openStore } from './src/store/index.ts';
      import { usageEventFixture } from './src/proxy/usage-event-fixture.ts';
      const store = await openStore({ dataDir: process.argv[1] });
      await store.usage.record(usageEventFixture('jti-1', 1));
      console.log(await store.usage.spentUsd({ tokenId: 'jti-1' }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script, dataDir],
      { timeout: 20_000 },
    );
    expect(stdout.trim()).toBe('1');
  });
});
