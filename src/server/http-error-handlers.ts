/** The JSON answers for unknown routes and errors: `{ error: { code, message, details? } }`, never a stack. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { toHttpError } from './to-http-error.js';

export const notFoundHandler: RequestHandler = (req, res) => {
  const error = new LoomError('not_found', `No route for ${req.method} ${req.path}`);
  res.status(error.httpStatus).json(error.toJSON());
};

export function createJsonErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    const httpError = toHttpError(error);
    if (httpError.httpStatus >= 500) {
      logger.error({ err: error, method: req.method, path: req.originalUrl.split('?')[0] }, 'request failed');
    }
    // Too late for a JSON answer: Express's own handler then closes the connection.
    if (res.headersSent) return next(error);
    res.status(httpError.httpStatus).json(httpError.toJSON());
  };
}
