import { Worker } from 'node:worker_threads';
import { LoomError } from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import type { UsageEvent } from '../../proxy/index.js';
import {
  batchClaim,
  type UsageWriterCommand,
  type UsageWriterData,
  type UsageWriterReply,
  type UsageWriterRequest,
} from './usage-writer-protocol.js';

/** Where usage batches are written; on SQLite, a thread of its own (usage-writer-worker.ts says why). */
export interface UsageWriter {
  recordMany(events: readonly UsageEvent[]): Promise<void>;
  /** Waits for the writes already asked for, then stops the thread. Later writes are refused. */
  close(): Promise<void>;
}

const threadEntry = new URL('./usage-writer-thread.js', import.meta.url);

/**
 * Events per message to the thread. `postMessage` copies its message on the calling thread: a
 * 500-event batch held the event loop 0.5-4 ms once per batch, delaying the call in flight. A
 * 32-event slice takes 0.07 ms at p50 (0.15 at p90), and slices go one per timer tick (~1 ms), so a
 * call in flight meets one at most: sent one per event-loop turn instead, the slices of a batch all
 * landed in the same call whenever the loop was otherwise idle. A 500-event batch reaches the
 * thread in ~16 ms.
 */
export const eventsPerMessage = 32;

export interface ThreadedUsageWriterOptions {
  /** Whether the thread runs at idle priority where it can (idle-thread-priority.ts); default true. */
  idlePriority?: boolean;
  /**
   * A batch an idle-priority thread has not started this long after it was sent is taken back and
   * written by a new thread at normal priority, as are all later batches; default 1 000 ms.
   */
  starvedAfterMs?: number;
  logger?: Logger;
}

/** An idle-priority thread that has not started a batch within a second is starved of CPU. */
export const defaultStarvedAfterMs = 1000;

interface WriterThread {
  worker: Worker;
  /** `[0]` is 1 once the thread runs at idle priority (it sets it). */
  atIdlePriority: Int32Array;
}

/**
 * The thread starts with the first write (it takes ~250 ms to load, hidden by the proxy's
 * write-behind batching), so a store that never meters starts no thread. It holds the
 * process open only while a write is unanswered. If it dies, the writes in flight fail with a
 * retryable `dependency_unavailable` (the batching ledger keeps and retries them) and the next write
 * starts a new thread.
 *
 * At idle priority the thread only gets a core nobody else wants: on a machine whose cores are all
 * busy (a pod at its CPU limit) it could wait indefinitely, and an unprivileged thread cannot be
 * raised again. So a batch it has not claimed within `starvedAfterMs` is withdrawn (`batchClaim`:
 * it then writes none of it), the thread is retired once its claimed batches are answered, and this
 * batch and every later one go to a new thread at normal priority.
 */
export function createThreadedUsageWriter(
  file: string,
  options: ThreadedUsageWriterOptions = {},
): UsageWriter {
  const starvedAfterMs = options.starvedAfterMs ?? defaultStarvedAfterMs;
  let idlePriority = options.idlePriority ?? true;
  let current: WriterThread | undefined;
  let nextId = 1;
  let closing: Promise<void> | undefined;
  /** Batches still being sliced or written: a close waits for them. */
  const slicing = new Set<Promise<void>>();
  const pending = new Map<number, { thread: Worker; resolve: () => void; reject: (error: Error) => void }>();
  /** Threads that take no new batch; each ends once its last answer is in. */
  const retired = new Set<Worker>();

  function start(): WriterThread {
    const atIdlePriority = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    // No inherited execArgv: the entry registers its own loader, and options of the parent's command
    // line (`--input-type`, `--eval`) would fail the thread's start.
    const started = new Worker(threadEntry, {
      workerData: { file, idlePriority, atIdlePriority } satisfies UsageWriterData,
      execArgv: [],
    });
    started.unref();
    started.on('message', (reply: UsageWriterReply) => settle(started, reply));
    started.on('error', (error) => fail(started, error));
    started.on('exit', (code) => fail(started, new Error(`the thread exited with code ${code}`)));
    current = { worker: started, atIdlePriority };
    return current;
  }

  /** The reply to request `id`; the thread keeps the process alive until it comes. */
  function replyTo(target: Worker, id: number): Promise<void> {
    return new Promise((resolve, reject) => {
      pending.set(id, { thread: target, resolve, reject });
      target.ref();
    });
  }

  /** After an answer: a thread waiting for none lets the process exit, and a retired one ends. */
  function release(thread: Worker): void {
    for (const waiter of pending.values()) if (waiter.thread === thread) return;
    thread.unref();
    if (retired.delete(thread)) void thread.terminate();
  }

  function send(command: UsageWriterCommand): Promise<void> {
    const target = (current ?? start()).worker;
    const id = nextId++;
    const reply = replyTo(target, id);
    target.postMessage({ ...command, id } satisfies UsageWriterRequest);
    return reply;
  }

  /**
   * A batch in slices, one per timer tick, the last as the `record` that writes them all; taken back
   * and sent again to a new normal-priority thread if an idle-priority one has not claimed it in time.
   */
  async function sendBatch(events: readonly UsageEvent[]): Promise<void> {
    const thread = current ?? start();
    const id = nextId++;
    const reply = replyTo(thread.worker, id);
    // A thread dying between slices rejects the reply before it is returned: handled here too.
    reply.catch(() => undefined);
    for (let from = 0; ; from += eventsPerMessage) {
      const slice = events.slice(from, from + eventsPerMessage);
      if (events.length - from > eventsPerMessage) {
        thread.worker.postMessage({ type: 'append', events: slice, id } satisfies UsageWriterRequest);
        // Should the thread die meanwhile, `fail` rejects the reply; posting to it does nothing.
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      const claim = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
      thread.worker.postMessage({ type: 'record', events: slice, id, claim } satisfies UsageWriterRequest);
      if (!(await starved(reply))) return;
      // A thread at normal priority that is slow (waiting for SQLite's lock, say) is waited for, and so
      // is one that claimed the batch already: it is writing it, and its answer decides.
      if (Atomics.load(thread.atIdlePriority, 0) !== 1) return reply;
      const previous = Atomics.compareExchange(claim, 0, batchClaim.unclaimed, batchClaim.withdrawn);
      if (previous !== batchClaim.unclaimed) return reply;
      pending.delete(id);
      retire(thread);
      return sendBatch(events);
    }
  }

  /** Whether `reply` is still unanswered after `starvedAfterMs` (its failure is thrown). */
  async function starved(reply: Promise<void>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), starvedAfterMs);
    });
    try {
      return (await Promise.race([reply.then(() => false), late])) === true;
    } finally {
      clearTimeout(timer);
    }
  }

  function retire(thread: WriterThread): void {
    if (idlePriority) {
      idlePriority = false;
      options.logger?.warn(
        { starvedAfterMs },
        'the SQLite usage writer got no CPU at idle priority; it runs at normal priority from now on',
      );
    }
    if (current === thread) current = undefined;
    retired.add(thread.worker);
    release(thread.worker);
  }

  function settle(from: Worker, reply: UsageWriterReply): void {
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    release(from);
    if (reply.ok) waiter.resolve();
    else {
      const { code, message, retryable, details } = reply.error;
      waiter.reject(new LoomError(code, message, { retryable, details }));
    }
  }

  function fail(from: Worker, cause: Error): void {
    retired.delete(from);
    if (current?.worker === from) current = undefined;
    const error = new LoomError(
      'dependency_unavailable',
      `the SQLite usage writer stopped: ${cause.message}`,
      {
        cause,
        details: { dialect: 'sqlite' },
      },
    );
    for (const [id, waiter] of pending) {
      if (waiter.thread !== from) continue;
      pending.delete(id);
      waiter.reject(error);
    }
  }

  return {
    recordMany(events) {
      if (closing !== undefined) {
        return Promise.reject(
          new LoomError('dependency_unavailable', 'the store is closed', { retryable: false }),
        );
      }
      if (events.length === 0) return Promise.resolve();
      const written = sendBatch(events);
      const done = (): void => void slicing.delete(written);
      slicing.add(written);
      written.then(done, done);
      return written;
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled([...slicing]);
        for (const thread of retired) void thread.terminate();
        const running = current?.worker;
        if (running === undefined) return;
        await send({ type: 'close' }).catch(() => undefined);
        current = undefined;
        await running.terminate();
      })();
      return closing;
    },
  };
}
