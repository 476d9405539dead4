/**
 * Turns what the Kubernetes client throws into a LoomError, decided by the HTTP status alone: 404
 * and 409 are answers the backend acts on (gone, lost a race), 403 and 422 are configuration
 * problems worth a clear message, everything else is a cluster that is unavailable for now.
 */
import { LoomError, type LoomErrorCode } from '../../errors/index.js';

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}

/** The `message` of the Status object the API server sent, if the body holds one. */
function statusMessage(error: unknown): string | undefined {
  const body = (error as { body?: unknown } | undefined)?.body;
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}

/** The first line of an error's message (a websocket ErrorEvent is no Error, but has one). */
function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? (message.split('\n')[0] ?? message) : String(error);
}

function codeFor(status: number | undefined): LoomErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_input';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 429:
      return 'rate_limited';
    default:
      return 'dependency_unavailable';
  }
}

/** `what` names the operation, e.g. "Creating pod loom-weaver-x". */
export function kubernetesApiError(error: unknown, what: string): LoomError {
  if (error instanceof LoomError) return error;
  const status = statusOf(error);
  const detail = statusMessage(error) ?? messageOf(error);
  const suffix = status === undefined ? '' : ` (HTTP ${status})`;
  return new LoomError(codeFor(status), `${what} failed${suffix}: ${detail}`, {
    cause: error,
    details: status === undefined ? {} : { httpStatus: status },
  });
}
