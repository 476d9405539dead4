import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from './redact-url-credentials.js';

describe('redactUrlCredentials', () => {
  it('removes user and password from every URL in a text', () => {
    const text = 'cannot reach redis://:s3cret@cache:6379/0 nor postgres://loom:pw@db/loom';
    const redacted = redactUrlCredentials(text);
    expect(redacted).toBe('cannot reach redis://[redacted]@cache:6379/0 nor postgres://[redacted]@db/loom');
  });

  it('leaves URLs without credentials and plain text unchanged', () => {
    const text = 'connect ECONNREFUSED 127.0.0.1:6379 (redis://127.0.0.1:6379)';
    expect(redactUrlCredentials(text)).toBe(text);
  });
});
