/**
 * Job scheduler ids of chores: `chore/{owner}/{repo}/{name}`. One per repository and chore name, so
 * re-syncing a file updates the same scheduler instead of adding one. BullMQ derives each scheduled
 * job's id from it (`repeat:{schedulerId}:{millis}`); the run id follows as `R-{jobId}`.
 *
 * No `:` on purpose: BullMQ 5 reads an unknown id that contains one as a legacy repeatable-job key
 * and `getJobScheduler` then answers with a made-up scheduler instead of `undefined`. `/` cannot
 * occur in an owner, a repository or a chore name, so the id parses back unambiguously.
 */
const prefix = 'chore/';

export function choreSchedulerId(repository: string, name: string): string {
  return `${prefix}${repository}/${name}`;
}

/** The prefix every scheduler of `repository` starts with. */
export function choreSchedulerPrefix(repository: string): string {
  return `${prefix}${repository}/`;
}

/** `{ repository, name }` of a chore scheduler id, or undefined for any other scheduler. */
export function parseChoreSchedulerId(id: string): { repository: string; name: string } | undefined {
  const match = /^chore\/([\w.-]+\/[\w.-]+)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(id);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { repository: match[1], name: match[2] };
}
