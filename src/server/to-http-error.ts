/**
 * Maps anything a route throws to the LoomError the HTTP edge answers with. LoomErrors pass through;
 * client errors raised by Express itself or body-parser (`status` 4xx with `expose: true`, as
 * http-errors builds them) keep their status class; everything else becomes an opaque 500.
 */
import { LoomError, isLoomError, type LoomErrorCode } from '../errors/index.js';

const codeByStatus: Record<number, LoomErrorCode> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
};

export function toHttpError(error: unknown): LoomError {
  if (isLoomError(error)) return error;
  const status = exposedClientStatus(error);
  if (status !== undefined) {
    const message = error instanceof Error ? error.message : 'Bad request';
    return new LoomError(codeByStatus[status] ?? 'invalid_input', message, { cause: error });
  }
  // The message of an unexpected error may carry internals (paths, SQL, URLs): never sent out.
  return new LoomError('internal', 'Internal server error', { cause: error });
}

function exposedClientStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, expose } = error as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const value = typeof status === 'number' ? status : statusCode;
  if (typeof value !== 'number' || value < 400 || value > 499 || expose !== true) return undefined;
  return value;
}
