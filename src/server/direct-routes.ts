/**
 * Routes served before express: the request listener hands a request whose method and path match a
 * direct route straight to its handler, and everything else to the express app. For the hottest
 * paths only (the LLM proxy's native routes): entering express and walking its middleware cost
 * ~0.2 ms of CPU per request, as much as the rest of a proxied call. They are observed as express
 * routes are (histogram, one log line), and a handler that throws gets a JSON 500, not a crash.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { LoomMetrics } from './metrics.js';
import { createExchangeObserver } from './observe-requests.js';

export interface DirectRoute {
  method: string;
  /** The full path (mount path included), matched exactly; a query string may follow. */
  path: string;
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /**
   * The handler logs each request itself, with more than the access log knows (the proxy's line per
   * call): the access line then goes to debug, the histogram sample stays.
   */
  logsItself?: boolean;
}

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface DirectRoutesOptions {
  logger: Logger;
  metrics: LoomMetrics;
}

export function withDirectRoutes(
  routes: readonly DirectRoute[],
  app: RequestListener,
  options: DirectRoutesOptions,
): RequestListener {
  if (routes.length === 0) return app;
  const byKey = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  const observe = createExchangeObserver(options);
  const quiet = createExchangeObserver({ ...options, quietPaths: routes.map((route) => route.path) });
  return (request, response) => {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const route = byKey.get(`${request.method ?? ''} ${path}`);
    if (route === undefined) return app(request, response);
    (route.logsItself === true ? quiet : observe)(request, response, path, () => route.path);
    route.handle(request, response).catch((error: unknown) => {
      options.logger.error({ err: error, route: route.path }, 'direct route failed');
      if (response.headersSent) return void response.destroy();
      response.statusCode = 500;
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.end(JSON.stringify(new LoomError('internal', 'internal error').toJSON()));
    });
  };
}
