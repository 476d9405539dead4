/**
 * The bearer-token gate of Loom's HTTP APIs (threads, usage): 401 with `WWW-Authenticate` without a
 * valid token, before any route runs; the routes then read who called with `principalOf`.
 */
import type { NextFunction, Request, Response } from 'express';
import { LoomError } from '../errors/index.js';
import type { AuthenticateBearer, ThreadsPrincipal } from './threads-principal.js';

const principalKey = 'loomPrincipal';

export function requireBearer(authenticate: AuthenticateBearer) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (match?.[1] === undefined) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      throw new LoomError('unauthorized', 'a bearer token is required');
    }
    try {
      res.locals[principalKey] = await authenticate(match[1]);
    } catch (error) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw error;
    }
    next();
  };
}

/** Who called: set by `requireBearer`, which every route of these APIs sits behind. */
export function principalOf(res: Response): ThreadsPrincipal {
  const principal = res.locals[principalKey] as ThreadsPrincipal | undefined;
  if (principal === undefined) throw new LoomError('internal', 'API route reached without authentication');
  return principal;
}
