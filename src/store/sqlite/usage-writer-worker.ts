/**
 * The SQLite usage-writer thread: its own connection to the store's file, writing the proxy's usage
 * batches (events and running totals) there. better-sqlite3 is synchronous, so on the main thread a
 * 500-row batch held the event loop for ~4.5 ms (statement building, the INSERTs, the fsync of
 * `synchronous=FULL`), delaying every call in flight; here it holds only this thread. WAL lets the
 * main connection read the totals meanwhile, and SQLite's lock (with the busy timeout) orders this
 * connection's writes with the main one's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Kysely, SqliteDialect } from 'kysely';
import { isLoomError } from '../../errors/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { KyselyUsageLedger } from '../kysely-usage-ledger.js';
import { translateDriverErrors } from '../translate-driver-errors.js';
import { sqliteCodec } from '../value-codec.js';
import { classifySqliteError } from './classify-sqlite-error.js';
import { openSqliteConnection } from './open-sqlite-connection.js';
import type {
  SerializedLoomError,
  UsageWriterData,
  UsageWriterReply,
  UsageWriterRequest,
} from './usage-writer-protocol.js';

const port = parentPort;
if (port === null) throw new Error('usage-writer-worker.ts runs as a worker thread');
const { file } = workerData as UsageWriterData;
const db = new Kysely<LoomDatabase>({
  dialect: translateDriverErrors(
    new SqliteDialect({ database: openSqliteConnection(file) }),
    classifySqliteError,
  ),
});
// This thread is the connection's only user: a plain transaction needs no cross-store queue.
const ledger = new KyselyUsageLedger(db, sqliteCodec, (database, work) =>
  database.transaction().execute(work),
);

// One request at a time, in arrival order: a close answers after every write before it.
let queue: Promise<void> = Promise.resolve();
port.on('message', (request: UsageWriterRequest) => {
  queue = queue.then(() => handle(request));
});

async function handle(request: UsageWriterRequest): Promise<void> {
  let reply: UsageWriterReply;
  try {
    if (request.type === 'record') await ledger.recordMany(request.events);
    else await db.destroy();
    reply = { id: request.id, ok: true };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serialize(error) };
  }
  port?.postMessage(reply);
  if (request.type === 'close') port?.close();
}

function serialize(error: unknown): SerializedLoomError {
  if (isLoomError(error)) {
    return { code: error.code, message: error.message, retryable: error.retryable, details: error.details };
  }
  return {
    code: 'internal',
    message: error instanceof Error ? error.message : String(error),
    retryable: false,
    details: {},
  };
}
