/**
 * An AbortSignal that fires when the client goes away before its response was finished, so the
 * upstream request (and any retry wait) stops at once instead of running on for nobody.
 */
import type { ServerResponse } from 'node:http';

export function watchClientDisconnect(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
