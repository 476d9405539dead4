/**
 * Request logging and the HTTP histogram, in one middleware that runs when the response closes.
 * It logs method, route template, path, status and duration: never headers, query strings or bodies,
 * which carry signatures, tokens and user text.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logging/index.js';
import type { LoomMetrics } from './metrics.js';

/** `res.locals` key where `createHttpApp` notes the mount path of the router that handled a request. */
export const mountPathLocal = 'loomMountPath';

/** Status recorded when the client went away before the response was complete (nginx's convention). */
const clientClosedStatus = 499;

export interface ObserveRequestsOptions {
  logger: Logger;
  metrics: LoomMetrics;
  /** Paths logged at debug level only (probes and scrapes would flood the log). */
  quietPaths?: readonly string[];
}

export function observeRequests(options: ObserveRequestsOptions): RequestHandler {
  const observe = createExchangeObserver(options);
  return (req, res, next) => {
    // Taken now: inside a mounted router `req.path` is relative to the mount point.
    observe(req, res, req.path, () => routeTemplate(req, res));
    next();
  };
}

/**
 * The same observation for any node request/response pair (routes served before express): when the
 * response closes, one histogram sample and one log line. `route` is asked for at that moment.
 */
export function createExchangeObserver(
  options: ObserveRequestsOptions,
): (req: IncomingMessage, res: ServerResponse, path: string, route: () => string) => void {
  const quietPaths = new Set(options.quietPaths ?? []);
  return (req, res, path, route) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : clientClosedStatus;
      const method = req.method ?? 'GET';
      const template = route();
      options.metrics.observeHttpRequest(method, template, status, seconds);
      const fields = { method, route: template, path, status, duration_ms: Math.round(seconds * 1000) };
      if (quietPaths.has(path)) options.logger.debug(fields, 'http request');
      else if (status >= 500) options.logger.warn(fields, 'http request');
      else options.logger.info(fields, 'http request');
    });
  };
}

/**
 * The route template for labels: mount path + matched route path (`/api/threads/:id`). Requests that
 * matched no route get their router's mount path or `unmatched`, so raw paths (ids, scanner noise)
 * never become label values. Routes of routers nested inside a mounted router show only the outer
 * mount and the inner route path.
 */
function routeTemplate(req: Request, res: Response): string {
  const mountPath =
    typeof res.locals[mountPathLocal] === 'string' ? (res.locals[mountPathLocal] as string) : '';
  const routePath = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof routePath === 'string') return joinPaths(mountPath, routePath);
  return mountPath === '' ? 'unmatched' : mountPath;
}

function joinPaths(base: string, path: string): string {
  if (base === '' || base === '/') return path;
  return path === '/' ? base : `${base.replace(/\/$/, '')}${path}`;
}
