import type { ThreadFilters, ThreadSummary } from './thread-types.js';

/** Who calls the threads API: an admin reads every thread, a user only the threads it owns. */
export interface ThreadsPrincipal {
  subject: string;
  role: 'admin' | 'user';
}

/**
 * Turns a bearer token into a principal, or throws `LoomError('unauthorized')`. The API depends on
 * this function only, so any verifier (Loom JWTs, sessions later) plugs in.
 */
export type AuthenticateBearer = (token: string) => Promise<ThreadsPrincipal>;

/** Whether `principal` may read (and write) `thread`. */
export function canAccessThread(principal: ThreadsPrincipal, thread: Pick<ThreadSummary, 'owner'>): boolean {
  return principal.role === 'admin' || thread.owner === principal.subject;
}

/** The filters a principal's listing runs with: a user's are pinned to its own threads. */
export function scopeFilters(principal: ThreadsPrincipal, filters: ThreadFilters): ThreadFilters {
  return principal.role === 'admin' ? filters : { ...filters, owner: principal.subject };
}
