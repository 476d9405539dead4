/**
 * A cancellation that fires when the client goes away before its response was finished, so the
 * upstream request (and any retry wait) stops at once instead of running on for nobody.
 */
import type { ServerResponse } from 'node:http';
import { Cancellation, type CancelSignal } from './cancellation.js';

export function watchClientDisconnect(response: ServerResponse): CancelSignal {
  const controller = new Cancellation();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller;
}
