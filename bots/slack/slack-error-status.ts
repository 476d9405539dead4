/**
 * The HTTP status (and retry hint) for an error Bolt hands back from processing an event. A 5xx makes
 * Slack retry the event, which is right for anything transient: the delivery was not recorded (or was
 * forgotten again), so the retry is processed once.
 */
import { ErrorCode } from '@slack/bolt';
import { isLoomError, LoomError } from '../../src/errors/index.js';

/** The `LoomError` behind an error Bolt may have wrapped (`UnknownError.original`, `cause`). */
function findLoomError(error: unknown): LoomError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth += 1) {
    if (isLoomError(current)) return current;
    const next = current as { original?: unknown; cause?: unknown };
    current = next.original ?? next.cause;
  }
  return undefined;
}

/** The error to answer with: its own LoomError, or `dependency_unavailable` / `internal`. */
export function slackErrorResponse(error: unknown): LoomError {
  const found = findLoomError(error);
  if (found !== undefined) return found;
  const code = (error as { code?: unknown } | undefined)?.code;
  // The bot's identity (auth.test) could not be resolved: worth Slack's retry.
  if (code === ErrorCode.AuthorizationError) {
    return new LoomError('dependency_unavailable', 'Slack auth.test failed; try again later');
  }
  return new LoomError('internal', 'Internal server error');
}
