import { describe, expect, it } from 'vitest';
import { createSecretKeyRedactor } from './redact-secret-keys.js';

const redact = createSecretKeyRedactor(['apiKey', 'authorization'], '[redacted]');

describe('createSecretKeyRedactor', () => {
  it('returns the very object when it holds no secret', () => {
    const line = { subject: 'bench', tokens: { input: 3 }, items: [{ name: 'a' }] };
    expect(redact(line)).toBe(line);
  });

  it('censors secrets at the top level and one and two objects deep, copying instead of modifying', () => {
    const line = {
      apiKey: 'sk-top',
      config: { anthropic: { apiKey: 'sk-nested', baseUrl: 'u' }, authorization: 'Bearer x' },
      untouched: { a: 1 },
    };
    const redacted = redact(line);
    expect(redacted).toEqual({
      apiKey: '[redacted]',
      config: { anthropic: { apiKey: '[redacted]', baseUrl: 'u' }, authorization: '[redacted]' },
      untouched: { a: 1 },
    });
    expect(line.config.anthropic.apiKey).toBe('sk-nested');
    expect(redacted.untouched).toBe(line.untouched);
  });

  it('walks arrays like objects and leaves byte buffers alone', () => {
    const bytes = Buffer.from('apiKey');
    const redacted = redact({ headers: [{ authorization: 'Bearer x' }], bytes });
    expect(redacted.headers).toEqual([{ authorization: '[redacted]' }]);
    expect(redacted.bytes).toBe(bytes);
  });

  it('keeps an error an error, with its message and stack, when it carries a secret', () => {
    const error = Object.assign(new TypeError('upstream refused'), { apiKey: 'sk-in-error' });
    const redacted = redact({ err: error }).err;
    expect(redacted).toBeInstanceOf(TypeError);
    expect(redacted.message).toBe('upstream refused');
    expect(redacted.stack).toBe(error.stack);
    expect(redacted.apiKey).toBe('[redacted]');
    expect(error.apiKey).toBe('sk-in-error');
  });

  it('reaches exactly as deep as the documented paths (key, *.key, *.*.key)', () => {
    const deep = { a: { b: { c: { apiKey: 'four levels down' } } } };
    expect(redact(deep)).toBe(deep);
  });

  it('leaves a secret key whose value is undefined out of the line, as JSON would', () => {
    const line = { apiKey: undefined, model: 'm' };
    expect(redact(line)).toBe(line);
  });
});
