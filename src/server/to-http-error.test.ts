import { describe, expect, it } from 'vitest';
import { LoomError } from '../errors/index.js';
import { toHttpError } from './to-http-error.js';

function clientError(status: number, message: string, expose = true): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose });
}

describe('toHttpError', () => {
  it('keeps a LoomError as it is', () => {
    const error = new LoomError('forbidden', 'not yours');
    expect(toHttpError(error)).toBe(error);
  });

  it('maps an exposed client error of body-parser to the matching code', () => {
    expect(toHttpError(clientError(413, 'request entity too large')).code).toBe('payload_too_large');
    expect(toHttpError(clientError(400, 'Unexpected token')).code).toBe('invalid_input');
    expect(toHttpError(clientError(415, 'unsupported charset')).code).toBe('invalid_input');
  });

  it('hides the message of anything unexpected behind an internal error', () => {
    const mapped = toHttpError(new Error('SELECT * FROM secrets failed at /srv/loom'));
    expect(mapped.code).toBe('internal');
    expect(mapped.httpStatus).toBe(500);
    expect(mapped.message).toBe('Internal server error');
  });

  it('does not trust a 4xx status that is not marked as exposable', () => {
    expect(toHttpError(clientError(400, 'internal detail', false)).code).toBe('internal');
  });
});
