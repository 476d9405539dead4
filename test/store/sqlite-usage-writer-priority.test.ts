/**
 * The SQLite usage writer's thread runs at Linux's idle priority, so its bursts of work never take a
 * core a proxied call needs; and since such a thread may get no CPU at all on a busy machine, a
 * batch it has not started in time is taken back and written, once, by a thread at normal priority.
 * Real threads, a real SQLite file, the real `chrt`; priorities read from /proc.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/index.js';
import { usageEventFixture } from '../../src/proxy/usage-event-fixture.js';
import { openStore, type Store } from '../../src/store/index.js';
import { schedIdlePolicy, schedulingPolicy } from '../../src/store/sqlite/idle-thread-priority.js';
import { sqliteFileName } from '../../src/store/sqlite/open-sqlite-database.js';
import {
  batchClaim,
  type UsageWriterReply,
  type UsageWriterRequest,
} from '../../src/store/sqlite/usage-writer-protocol.js';
import {
  createThreadedUsageWriter,
  eventsPerMessage,
  type UsageWriter,
} from '../../src/store/sqlite/threaded-usage-writer.js';

/** Where idle priority can be set at all: Linux with util-linux's `chrt` (CI's Debian has both). */
const canRunIdle = (() => {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('chrt', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let dataDir = '';
let store: Store | undefined;
const writers: UsageWriter[] = [];
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'loom-usage-priority-'));
  store = await openStore({ dataDir }); // creates and migrates the file
});
afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.close();
  await store?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function writer(options: Parameters<typeof createThreadedUsageWriter>[1] = {}): UsageWriter {
  const created = createThreadedUsageWriter(join(dataDir, sqliteFileName), options);
  writers.push(created);
  return created;
}

/** Threads of this process at `SCHED_IDLE` now. */
async function idleThreads(): Promise<number> {
  const threads = await readdir('/proc/self/task');
  return threads.filter((thread) => schedulingPolicy(process.pid, Number(thread)) === schedIdlePolicy).length;
}

async function eventually(check: () => Promise<boolean>, withinMs = 5_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `count` events of `tokenId`, costing 1, 2, 3, … */
const batch = (tokenId: string, count: number) =>
  Array.from({ length: count }, (_, index) => usageEventFixture(tokenId, index + 1));

describe.runIf(canRunIdle)('the SQLite usage writer at idle priority', () => {
  it('runs its thread at SCHED_IDLE, and the thread ends with the writer', async () => {
    expect(await idleThreads()).toBe(0);
    const usage = writer();
    await usage.recordMany([usageEventFixture('jti-1', 1)]);
    expect(await idleThreads()).toBe(1);
    expect(await store!.usage.spentUsd({ tokenId: 'jti-1' })).toBe(1);
    await usage.close();
    await eventually(async () => (await idleThreads()) === 0);
  });

  it('runs it at normal priority when asked to', async () => {
    await writer({ idlePriority: false }).recordMany([usageEventFixture('jti-1', 1)]);
    expect(await idleThreads()).toBe(0);
  });

  it('keeps normal priority where chrt cannot be run, and writes as usual', async () => {
    const path = process.env.PATH;
    process.env.PATH = dataDir; // the thread copies the environment when it starts: no chrt there
    try {
      await writer().recordMany([usageEventFixture('jti-1', 1)]);
    } finally {
      process.env.PATH = path;
    }
    expect(await idleThreads()).toBe(0);
    expect(await store!.usage.spentUsd({ tokenId: 'jti-1' })).toBe(1);
  });

  it('hands a batch its thread has not started in time to a normal-priority thread, and writes every batch once', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      }),
    });
    const usage = writer({ starvedAfterMs: 200, logger });
    await usage.recordMany([usageEventFixture('jti-warm', 1)]); // the thread is up, at idle priority
    expect(await idleThreads()).toBe(1);

    // Another connection holds SQLite's write lock: the thread claims the first batch and waits in
    // SQLite's busy handler, so it cannot start the second (as when it gets no CPU).
    const other = new Database(join(dataDir, sqliteFileName));
    other.exec('begin immediate');
    const count = eventsPerMessage * 2 + 3;
    const sum = (count * (count + 1)) / 2;
    const first = usage.recordMany(batch('jti-1', count));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = usage.recordMany(batch('jti-2', count));
    // Past 200 ms the second is taken back and sent to a new thread, which waits for the lock too.
    await new Promise((resolve) => setTimeout(resolve, 800));
    other.exec('commit');
    other.close();
    await Promise.all([first, second]);

    const usageOf = async (tokenId: string) => ({
      spent: await store!.usage.spentUsd({ tokenId }),
      events: (await store!.usage.list({ tokenId }, 1_000)).length,
    });
    expect(await usageOf('jti-1')).toEqual({ spent: sum, events: count });
    expect(await usageOf('jti-2')).toEqual({ spent: sum, events: count });
    expect(lines.join('')).toMatch(/usage writer got no CPU at idle priority/);
    // The starved thread ended once its own batch was answered; the new one runs at normal priority.
    await eventually(async () => (await idleThreads()) === 0);

    await usage.recordMany([usageEventFixture('jti-3', 3)]);
    expect(await usageOf('jti-3')).toEqual({ spent: 3, events: 1 });
    expect(await idleThreads()).toBe(0);
  });
});

describe('the usage-writer thread and a batch claim', () => {
  it('writes nothing of a batch the store took back, and answers nothing for it', async () => {
    const thread = new Worker(new URL('../../src/store/sqlite/usage-writer-thread.js', import.meta.url), {
      workerData: {
        file: join(dataDir, sqliteFileName),
        idlePriority: false,
        atIdlePriority: new Int32Array(new SharedArrayBuffer(4)),
      },
      execArgv: [],
    });
    const replies: UsageWriterReply[] = [];
    const answered = new Promise<void>((resolve) =>
      thread.on('message', (reply: UsageWriterReply) => {
        replies.push(reply);
        if (reply.id === 2) resolve();
      }),
    );
    const claim = (state: number) => {
      const shared = new Int32Array(new SharedArrayBuffer(4));
      shared[0] = state;
      return shared;
    };
    const withdrawn = claim(batchClaim.withdrawn);
    const fresh = claim(batchClaim.unclaimed);
    thread.postMessage({
      type: 'record',
      id: 1,
      events: [usageEventFixture('jti-1', 1)],
      claim: withdrawn,
    } satisfies UsageWriterRequest);
    thread.postMessage({
      type: 'record',
      id: 2,
      events: [usageEventFixture('jti-2', 2)],
      claim: fresh,
    } satisfies UsageWriterRequest);
    await answered;
    await thread.terminate();
    expect(replies).toEqual([{ id: 2, ok: true }]);
    expect(fresh[0]).toBe(batchClaim.claimed);
    expect(withdrawn[0]).toBe(batchClaim.withdrawn);
    expect(await store!.usage.spentUsd({ tokenId: 'jti-1' })).toBe(0);
    expect(await store!.usage.spentUsd({ tokenId: 'jti-2' })).toBe(2);
  });
});
