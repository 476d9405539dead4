import { Worker } from 'node:worker_threads';
import { LoomError } from '../../errors/index.js';
import type { UsageEvent } from '../../proxy/index.js';
import type {
  UsageWriterCommand,
  UsageWriterData,
  UsageWriterReply,
  UsageWriterRequest,
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

/**
 * The thread starts with the first write (it takes ~250 ms to load, hidden by the proxy's
 * write-behind batching), so a store that never meters starts no thread. It holds the
 * process open only while a write is unanswered. If it dies, the writes in flight fail with a
 * retryable `dependency_unavailable` (the batching ledger keeps and retries them) and the next write
 * starts a new thread.
 */
export function createThreadedUsageWriter(file: string): UsageWriter {
  let worker: Worker | undefined;
  let nextId = 1;
  let closing: Promise<void> | undefined;
  /** Batches still being sliced to the thread: a close is sent after their last slice. */
  const slicing = new Set<Promise<void>>();
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();

  function start(): Worker {
    // No inherited execArgv: the entry registers its own loader, and options of the parent's command
    // line (`--input-type`, `--eval`) would fail the thread's start.
    const started = new Worker(threadEntry, { workerData: { file } satisfies UsageWriterData, execArgv: [] });
    started.unref();
    started.on('message', (reply: UsageWriterReply) => settle(started, reply));
    started.on('error', (error) => fail(started, error));
    started.on('exit', (code) => fail(started, new Error(`the thread exited with code ${code}`)));
    worker = started;
    return started;
  }

  /** The reply to request `id`; the thread keeps the process alive until it comes. */
  function replyTo(target: Worker, id: number): Promise<void> {
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      target.ref();
    });
  }

  function send(command: UsageWriterCommand): Promise<void> {
    const target = worker ?? start();
    const id = nextId++;
    const reply = replyTo(target, id);
    target.postMessage({ ...command, id } satisfies UsageWriterRequest);
    return reply;
  }

  /** A batch in slices, one per timer tick, the last as the `record` that writes them all. */
  async function sendBatch(events: readonly UsageEvent[]): Promise<void> {
    const target = worker ?? start();
    const id = nextId++;
    const reply = replyTo(target, id);
    // A thread dying between slices rejects the reply before it is returned: handled here too.
    reply.catch(() => undefined);
    for (let from = 0; ; from += eventsPerMessage) {
      const last = events.length - from <= eventsPerMessage;
      const slice = events.slice(from, from + eventsPerMessage);
      target.postMessage({
        type: last ? 'record' : 'append',
        events: slice,
        id,
      } satisfies UsageWriterRequest);
      if (last) return reply;
      // Should the thread die meanwhile, `fail` rejects the reply; posting to it does nothing.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  function settle(from: Worker, reply: UsageWriterReply): void {
    const waiter = pending.get(reply.id);
    if (waiter === undefined) return;
    pending.delete(reply.id);
    if (pending.size === 0) from.unref();
    if (reply.ok) waiter.resolve();
    else {
      const { code, message, retryable, details } = reply.error;
      waiter.reject(new LoomError(code, message, { retryable, details }));
    }
  }

  function fail(from: Worker, cause: Error): void {
    if (worker !== from) return;
    worker = undefined;
    const error = new LoomError(
      'dependency_unavailable',
      `the SQLite usage writer stopped: ${cause.message}`,
      {
        cause,
        details: { dialect: 'sqlite' },
      },
    );
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
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
        const running = worker;
        if (running === undefined) return;
        await send({ type: 'close' }).catch(() => undefined);
        worker = undefined;
        await running.terminate();
      })();
      return closing;
    },
  };
}
