/**
 * Request logging and the HTTP histogram, in one middleware that runs when the response closes.
 * It logs method, route template, path, status and duration: never headers, query strings or bodies,
 * which carry signatures, tokens and user text.
 */
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
  const quietPaths = new Set(options.quietPaths ?? []);
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Taken now: inside a mounted router `req.path` is relative to the mount point.
    const path = req.path;
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.writableFinished ? res.statusCode : clientClosedStatus;
      const route = routeTemplate(req, res);
      options.metrics.observeHttpRequest(req.method, route, status, seconds);
      const fields = { method: req.method, route, path, status, duration_ms: Math.round(seconds * 1000) };
      if (quietPaths.has(path)) options.logger.debug(fields, 'http request');
      else if (status >= 500) options.logger.warn(fields, 'http request');
      else options.logger.info(fields, 'http request');
    });
    next();
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
