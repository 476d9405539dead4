/**
 * An AbortSignal that fires when the client goes away before its response was finished, so the
 * upstream request (and any retry wait) stops at once instead of running on for nobody.
 */
import type { Response } from 'express';

export function watchClientDisconnect(response: Response): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
