/**
 * The SQLite usage-writer thread: its own connection to the store's file, writing the proxy's usage
 * batches (events and running totals) there. better-sqlite3 is synchronous, so on the main thread a
 * 500-row batch held the event loop for ~4.5 ms (statement building, the INSERTs, the fsync of
 * `synchronous=FULL`), delaying every call in flight; here it holds only this thread. WAL lets the
 * main connection read the totals meanwhile, and SQLite's lock (with the busy timeout) orders this
 * connection's writes with the main one's. Where it can, the thread runs at idle priority
 * (idle-thread-priority.ts), so its bursts of work wait for a free core instead of taking one a
 * proxied call needs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoomError } from '../../errors/index.js';
import type { UsageEvent } from '../../proxy/index.js';
import { classifySqliteError } from './classify-sqlite-error.js';
import { lowerToIdlePriority } from './idle-thread-priority.js';
import { openSqliteConnection } from './open-sqlite-connection.js';
import { createSqliteUsageBatchWriter } from './sqlite-usage-batch-writer.js';
import {
  batchClaim,
  type SerializedLoomError,
  type UsageWriterData,
  type UsageWriterReply,
  type UsageWriterRequest,
} from './usage-writer-protocol.js';

const port = parentPort;
if (port === null) throw new Error('usage-writer-worker.ts runs as a worker thread');
const { file, idlePriority, atIdlePriority } = workerData as UsageWriterData;
// A file that cannot be opened ends the thread with that error (the writer side reports it).
const database = openSqliteConnection(file);
if (idlePriority && lowerToIdlePriority()) Atomics.store(atIdlePriority, 0, 1);
const writeBatch = createSqliteUsageBatchWriter(database);

/** Slices of batches whose `record` has not come yet, by request id. */
const appended = new Map<number, UsageEvent[]>();

// Writes are synchronous here, so requests run one at a time in arrival order: a close answers
// after every write asked before it.
port.on('message', (request: UsageWriterRequest) => handle(request));

function handle(request: UsageWriterRequest): void {
  if (request.type === 'append') {
    const slices = appended.get(request.id);
    if (slices === undefined) appended.set(request.id, [...request.events]);
    else slices.push(...request.events);
    return;
  }
  let reply: UsageWriterReply;
  try {
    if (request.type === 'record') {
      const earlier = appended.get(request.id) ?? [];
      appended.delete(request.id);
      // Taken back by the store, which writes it through another thread: nothing of it is written here.
      if (
        Atomics.compareExchange(request.claim, 0, batchClaim.unclaimed, batchClaim.claimed) !==
        batchClaim.unclaimed
      ) {
        return;
      }
      writeBatch(earlier.length === 0 ? request.events : earlier.concat(request.events));
    } else database.close();
    reply = { id: request.id, ok: true };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serialize(classifySqliteError(error)) };
  }
  port?.postMessage(reply);
  if (request.type === 'close') port?.close();
}

function serialize(error: LoomError): SerializedLoomError {
  return { code: error.code, message: error.message, retryable: error.retryable, details: error.details };
}
