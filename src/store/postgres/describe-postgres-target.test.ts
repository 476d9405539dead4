import { describe, expect, it } from 'vitest';
import { describePostgresTarget } from './describe-postgres-target.js';

describe('describePostgresTarget', () => {
  it('names host, port and database without the credentials', () => {
    expect(describePostgresTarget('postgres://loom:s3cret@db.internal:6543/loom_prod')).toBe(
      'db.internal:6543/loom_prod',
    );
  });

  it('fills in the defaults pg would use', () => {
    expect(describePostgresTarget('postgresql://db')).toBe('db:5432/(default database)');
  });

  it('never echoes an unparseable URL', () => {
    expect(describePostgresTarget('postgres://user:pw@[broken')).toBe('(unparseable PostgreSQL URL)');
  });
});
