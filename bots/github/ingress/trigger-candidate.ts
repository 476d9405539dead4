/**
 * The webhook events that can carry a request for Loom, reduced to the facts the trigger decision
 * and the job need. Payloads are untrusted shapes even once signed (GitHub adds and renames fields),
 * so they are read with zod and anything that does not fit is simply not a candidate.
 */
import { z } from 'zod';

/** The `event.action`s that can trigger; edits and deletions never do (DESIGN §4). */
export const triggerEventNames = [
  'issue_comment.created',
  'pull_request_review_comment.created',
  'pull_request_review.submitted',
  'issues.opened',
] as const;

export type TriggerEventName = (typeof triggerEventNames)[number];

export type TriggerKind =
  'issue_comment' | 'pull_request_review_comment' | 'pull_request_review' | 'issue_body';

export interface GithubAccount {
  login: string;
  id: number;
  /** `User`, `Bot`, `Organization`, `Mannequin`, ... */
  type: string;
}

export interface TriggerCandidate {
  event: TriggerEventName;
  trigger: TriggerKind;
  /** Absent when the payload has no `installation` (not delivered to an App installation). */
  installationId: number | undefined;
  owner: string;
  repo: string;
  number: number;
  isPullRequest: boolean;
  /** The untrusted text as written (for a new issue: title, blank line, body). */
  text: string;
  commentId: number | undefined;
  /** When the trigger was created (ISO 8601). */
  createdAt: string;
  /** Who wrote the text. */
  author: GithubAccount;
  /** Who caused the event (the same person for these events, but checked separately). */
  sender: GithubAccount;
  /** Id of the GitHub App the comment was made through, if any. */
  viaAppId: number | undefined;
}

const account = z.object({
  login: z.string().min(1),
  id: z.number().int(),
  type: z.string().default('User'),
});
const envelope = {
  action: z.string(),
  installation: z.object({ id: z.number().int().positive() }).nullish(),
  repository: z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }),
  sender: account,
};
const comment = z.object({
  id: z.number().int().positive(),
  body: z.string().nullish(),
  created_at: z.string().min(1),
  user: account,
  performed_via_github_app: z.object({ id: z.number().int() }).nullish(),
});
const issue = z.object({
  number: z.number().int().positive(),
  title: z.string().default(''),
  body: z.string().nullish(),
  created_at: z.string().min(1),
  user: account,
  pull_request: z.unknown().optional(),
  performed_via_github_app: z.object({ id: z.number().int() }).nullish(),
});
const pullRequest = z.object({ number: z.number().int().positive() });

const issueCommentPayload = z.object({ ...envelope, issue, comment });
const reviewCommentPayload = z.object({ ...envelope, pull_request: pullRequest, comment });
const reviewPayload = z.object({
  ...envelope,
  pull_request: pullRequest,
  review: z.object({
    id: z.number().int().positive(),
    body: z.string().nullish(),
    submitted_at: z.string().min(1),
    user: account,
  }),
});
const issuePayload = z.object({ ...envelope, issue });

type Envelope = z.infer<z.ZodObject<typeof envelope>>;

function origin(payload: Envelope) {
  return {
    installationId: payload.installation?.id ?? undefined,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    sender: payload.sender,
  };
}

/** Reads a candidate from an event name (`X-GitHub-Event`) and payload; `undefined` when it cannot trigger. */
export function toTriggerCandidate(eventName: string, payload: unknown): TriggerCandidate | undefined {
  const action = (payload as { action?: unknown } | null)?.action;
  const event = `${eventName}.${typeof action === 'string' ? action : ''}`;
  if (event === 'issue_comment.created') {
    const parsed = issueCommentPayload.safeParse(payload);
    if (!parsed.success) return undefined;
    const { issue: target, comment: note } = parsed.data;
    return {
      ...origin(parsed.data),
      event,
      trigger: 'issue_comment',
      number: target.number,
      isPullRequest: target.pull_request != null,
      text: note.body ?? '',
      commentId: note.id,
      createdAt: note.created_at,
      author: note.user,
      viaAppId: note.performed_via_github_app?.id,
    };
  }
  if (event === 'pull_request_review_comment.created') {
    const parsed = reviewCommentPayload.safeParse(payload);
    if (!parsed.success) return undefined;
    const { pull_request: target, comment: note } = parsed.data;
    return {
      ...origin(parsed.data),
      event,
      trigger: 'pull_request_review_comment',
      number: target.number,
      isPullRequest: true,
      text: note.body ?? '',
      commentId: note.id,
      createdAt: note.created_at,
      author: note.user,
      viaAppId: note.performed_via_github_app?.id,
    };
  }
  if (event === 'pull_request_review.submitted') {
    const parsed = reviewPayload.safeParse(payload);
    if (!parsed.success) return undefined;
    const { pull_request: target, review } = parsed.data;
    return {
      ...origin(parsed.data),
      event,
      trigger: 'pull_request_review',
      number: target.number,
      isPullRequest: true,
      text: review.body ?? '',
      commentId: review.id,
      createdAt: review.submitted_at,
      author: review.user,
      viaAppId: undefined,
    };
  }
  if (event === 'issues.opened') {
    const parsed = issuePayload.safeParse(payload);
    if (!parsed.success) return undefined;
    const { issue: target } = parsed.data;
    return {
      ...origin(parsed.data),
      event,
      trigger: 'issue_body',
      number: target.number,
      isPullRequest: false,
      text: `${target.title}\n\n${target.body ?? ''}`,
      commentId: undefined,
      createdAt: target.created_at,
      author: target.user,
      viaAppId: target.performed_via_github_app?.id,
    };
  }
  return undefined;
}
