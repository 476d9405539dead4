import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { LoomError } from '../../errors/index.js';
import { kubernetesApiError } from './kubernetes-api-error.js';

const status = (code: number, message: string) =>
  new ApiException(code, `HTTP-Code: ${code}`, JSON.stringify({ kind: 'Status', message, code }), {});

describe('kubernetesApiError', () => {
  it('maps the HTTP status to a code and keeps the API server message', () => {
    const error = kubernetesApiError(status(409, 'the object has been modified'), 'Patching pod p');
    expect(error).toBeInstanceOf(LoomError);
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('Patching pod p failed (HTTP 409): the object has been modified');
    expect(error.details).toEqual({ httpStatus: 409 });
    expect(kubernetesApiError(status(404, 'x'), 'w').code).toBe('not_found');
    expect(kubernetesApiError(status(403, 'x'), 'w').code).toBe('forbidden');
    expect(kubernetesApiError(status(422, 'x'), 'w').code).toBe('invalid_input');
    expect(kubernetesApiError(status(503, 'x'), 'w')).toMatchObject({
      code: 'dependency_unavailable',
      retryable: true,
    });
  });

  it('treats a network failure or a websocket error event as an unavailable cluster', () => {
    expect(kubernetesApiError(new Error('connect ECONNREFUSED\nmore'), 'Listing')).toMatchObject({
      code: 'dependency_unavailable',
      message: 'Listing failed: connect ECONNREFUSED',
    });
    expect(kubernetesApiError({ message: 'Unexpected server response: 400' }, 'Exec').message).toBe(
      'Exec failed: Unexpected server response: 400',
    );
  });
});
