/**
 * Removes the user-info part (`user:password@`) of every URL in a text. Why: connection errors and
 * log lines often carry `REDIS_URL` or `DATABASE_URL`, which may embed a password.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1[redacted]@');
}
