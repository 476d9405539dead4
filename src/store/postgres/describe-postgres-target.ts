/**
 * `host:port/database` of a PostgreSQL URL, for messages and logs: never the user or password.
 */
export function describePostgresTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    return `${url.hostname || 'localhost'}:${url.port || '5432'}/${database}`;
  } catch {
    return '(unparseable PostgreSQL URL)';
  }
}
