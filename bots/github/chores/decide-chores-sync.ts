/**
 * Which webhook events change chores (pure): a push to a repository's default branch that touched
 * `.loom/chores.yml`, and installation changes. Everything else is not a chores event.
 */
import { choresFilePath } from '../../../src/chores/index.js';
import type { ChoresSyncPayload } from '../../../queue/job-contracts.js';

export const choresEventNames = ['push', 'installation', 'installation_repositories'] as const;

export type ChoresSyncRequest = Omit<ChoresSyncPayload, 'version' | 'deliveryId'>;

export type ChoresSyncDecision =
  { kind: 'sync'; request: ChoresSyncRequest } | { kind: 'ignore'; reason: string };

/** GitHub lists at most this many commits in a push; a longer push may have touched the file. */
const pushCommitLimit = 20;
const zeroSha = /^0+$/;

interface PushPayload {
  ref?: string;
  after?: string;
  deleted?: boolean;
  repository?: { full_name?: string; default_branch?: string };
  installation?: { id?: number };
  commits?: Array<{ added?: string[]; modified?: string[]; removed?: string[] }>;
}

interface InstallationPayload {
  action?: string;
  installation?: { id?: number };
  repositories?: Array<{ full_name?: string }>;
  repositories_added?: Array<{ full_name?: string }>;
  repositories_removed?: Array<{ full_name?: string }>;
}

export function decideChoresSync(event: string, payload: unknown): ChoresSyncDecision {
  if (typeof payload !== 'object' || payload === null) return { kind: 'ignore', reason: 'no payload' };
  if (event === 'push') return decidePush(payload as PushPayload);
  if (event === 'installation' || event === 'installation_repositories') {
    return decideInstallation(event, payload as InstallationPayload);
  }
  return { kind: 'ignore', reason: 'not a chores event' };
}

function decidePush(push: PushPayload): ChoresSyncDecision {
  const installationId = push.installation?.id;
  const fullName = push.repository?.full_name;
  if (installationId === undefined || fullName === undefined)
    return { kind: 'ignore', reason: 'no installation' };
  if (push.ref !== `refs/heads/${push.repository?.default_branch ?? ''}`) {
    return { kind: 'ignore', reason: 'push to another branch than the default' };
  }
  if (push.deleted === true || push.after === undefined || zeroSha.test(push.after)) {
    return { kind: 'ignore', reason: 'branch deleted' };
  }
  const commits = push.commits ?? [];
  const touched =
    commits.length >= pushCommitLimit ||
    commits.some((commit) =>
      [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].includes(
        choresFilePath,
      ),
    );
  if (!touched) return { kind: 'ignore', reason: 'push did not touch .loom/chores.yml' };
  return {
    kind: 'sync',
    request: { installationId, mode: 'sync', repositories: [fullName], headSha: push.after.toLowerCase() },
  };
}

function decideInstallation(event: string, payload: InstallationPayload): ChoresSyncDecision {
  const installationId = payload.installation?.id;
  if (installationId === undefined) return { kind: 'ignore', reason: 'no installation' };
  const names = (list: Array<{ full_name?: string }> | undefined) =>
    list?.map((entry) => entry.full_name).filter((name): name is string => name !== undefined);
  const action = payload.action ?? '';
  if (event === 'installation') {
    if (['created', 'new_permissions_accepted', 'unsuspend'].includes(action)) {
      const repositories = names(payload.repositories);
      return {
        kind: 'sync',
        request: { installationId, mode: 'sync', ...(repositories ? { repositories } : {}) },
      };
    }
    if (action === 'deleted' || action === 'suspend') {
      const repositories = names(payload.repositories);
      return {
        kind: 'sync',
        request: { installationId, mode: 'remove', ...(repositories ? { repositories } : {}) },
      };
    }
    return { kind: 'ignore', reason: `installation ${action}` };
  }
  if (action === 'added') {
    return {
      kind: 'sync',
      request: { installationId, mode: 'sync', repositories: names(payload.repositories_added) ?? [] },
    };
  }
  if (action === 'removed') {
    return {
      kind: 'sync',
      request: { installationId, mode: 'remove', repositories: names(payload.repositories_removed) ?? [] },
    };
  }
  return { kind: 'ignore', reason: `installation_repositories ${action}` };
}
