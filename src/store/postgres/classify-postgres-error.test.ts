import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { LoomError } from '../../errors/index.js';
import { classifyPostgresError } from './classify-postgres-error.js';

function databaseError(code: string): pg.DatabaseError {
  const error = new pg.DatabaseError(`server said ${code}`, 0, 'error');
  error.code = code;
  return error;
}

describe('classifyPostgresError', () => {
  it('treats anything that is not a server answer as the database being unavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const error = classifyPostgresError(refused);
    expect(error).toMatchObject({ code: 'dependency_unavailable', retryable: true });
    expect(error.details).toMatchObject({ systemCode: 'ECONNREFUSED' });
    expect(classifyPostgresError(new Error('Connection terminated unexpectedly')).code).toBe(
      'dependency_unavailable',
    );
  });

  it('uses the message of the first error of an AggregateError (IPv4 and IPv6 both refused)', () => {
    const error = classifyPostgresError(new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], ''));
    expect(error.message).toContain('ECONNREFUSED ::1:5432');
  });

  it.each(['08006', '57P01', '57P03', '53300', '58030'])(
    'maps SQLSTATE %s to a retryable dependency_unavailable',
    (code) => {
      expect(classifyPostgresError(databaseError(code))).toMatchObject({
        code: 'dependency_unavailable',
        retryable: true,
      });
    },
  );

  it('maps serialization failures and deadlocks to a retryable conflict, constraints to a permanent one', () => {
    expect(classifyPostgresError(databaseError('40001'))).toMatchObject({
      code: 'conflict',
      retryable: true,
    });
    expect(classifyPostgresError(databaseError('40P01'))).toMatchObject({
      code: 'conflict',
      retryable: true,
    });
    expect(classifyPostgresError(databaseError('23505'))).toMatchObject({
      code: 'conflict',
      retryable: false,
    });
  });

  it('maps a cancelled statement to timeout and other server errors to internal', () => {
    expect(classifyPostgresError(databaseError('57014')).code).toBe('timeout');
    expect(classifyPostgresError(databaseError('42P01'))).toMatchObject({
      code: 'internal',
      retryable: false,
    });
  });

  it('keeps a LoomError as it is', () => {
    const original = new LoomError('not_found', 'gone');
    expect(classifyPostgresError(original)).toBe(original);
  });
});
