import pg from 'pg';
import { LoomError } from '../../errors/index.js';

/** SQLSTATE prefixes that mean "the server is not there for us right now" (worth a retry). */
const unavailableStates = [
  '08', // connection exception
  '53', // insufficient resources (too many connections, disk full)
  '57P01', // admin_shutdown: the server is restarting
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '58', // system error (I/O)
];

/**
 * Turns an error thrown by the pg driver into a LoomError. It is only called for errors raised while
 * talking to PostgreSQL, so anything that is not a server answer (`DatabaseError`) is a transport
 * failure: refused, reset or timed-out connections, "Connection terminated unexpectedly".
 */
export function classifyPostgresError(error: unknown): LoomError {
  if (error instanceof LoomError) return error;
  if (!(error instanceof pg.DatabaseError)) {
    return new LoomError('dependency_unavailable', `PostgreSQL is unavailable: ${messageOf(error)}`, {
      cause: error,
      details: { dialect: 'postgres', ...systemCode(error) },
    });
  }
  const sqlState = error.code ?? '';
  const details = { dialect: 'postgres', sqlState };
  if (unavailableStates.some((prefix) => sqlState.startsWith(prefix))) {
    return new LoomError('dependency_unavailable', `PostgreSQL is unavailable: ${error.message}`, {
      cause: error,
      details,
    });
  }
  if (sqlState === '40001' || sqlState === '40P01') {
    return new LoomError('conflict', `PostgreSQL aborted a transaction: ${error.message}`, {
      cause: error,
      details,
      retryable: true,
    });
  }
  if (sqlState.startsWith('23')) {
    return new LoomError('conflict', `PostgreSQL constraint violated: ${error.message}`, {
      cause: error,
      details,
    });
  }
  if (sqlState === '57014') {
    return new LoomError('timeout', `PostgreSQL cancelled a statement: ${error.message}`, {
      cause: error,
      details,
    });
  }
  return new LoomError('internal', `PostgreSQL error: ${error.message}`, { cause: error, details });
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message || error.name : String(error);
}

function systemCode(error: unknown): { systemCode?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { systemCode: code } : {};
}
