/**
 * Real GitHub webhook payloads (from @octokit/webhooks-examples) with builders for the variations
 * tests need. Every builder returns a deep copy, adds an `installation` (most examples lack one; an
 * App always gets it) unless told `installationId: null`, and keeps the rest of the real payload.
 *
 * Shared by the ingress and worker tests: `{ name, payload }` is what arrives as `X-GitHub-Event`
 * and the JSON body.
 */
import { createRequire } from 'node:module';

type JsonObject = Record<string, unknown>;

interface ExampleGroup {
  name: string;
  examples: JsonObject[];
}

const require = createRequire(import.meta.url);
const exampleGroups = require('@octokit/webhooks-examples') as ExampleGroup[];

/** A webhook as GitHub delivers it: the `X-GitHub-Event` name and the JSON payload. */
export interface GithubEventFixture {
  name: string;
  payload: JsonObject;
}

export interface AccountOverrides {
  login?: string;
  id?: number;
  type?: string;
}

export interface TriggerOverrides {
  /** Text of the comment / review, or the new issue's body. */
  body?: string | null;
  /** Who wrote it; `sender` defaults to the same account. */
  author?: AccountOverrides;
  sender?: AccountOverrides;
  /** Default 4242; `null` removes the `installation` field. */
  installationId?: number | null;
  owner?: string;
  repo?: string;
  /** Issue or pull request number. */
  number?: number;
  commentId?: number;
  createdAt?: string;
  /** Sets `performed_via_github_app.id` on the comment or issue. */
  viaAppId?: number;
  /** Replaces the example's action, e.g. `edited` or `deleted`. */
  action?: string;
}

export const defaultInstallationId = 4242;
export const defaultAuthor = { login: 'octo-dev', id: 583231, type: 'User' };

/** A deep copy of the first real example of `name` (with `action`, when given). */
export function exampleEvent(name: string, action?: string): GithubEventFixture {
  const group = exampleGroups.find((candidate) => candidate.name === name);
  const example = group?.examples.find((payload) => action === undefined || payload.action === action);
  if (example === undefined)
    throw new Error(`no @octokit/webhooks-examples payload for ${name}.${action ?? '*'}`);
  return { name, payload: structuredClone(example) };
}

function object(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null) throw new Error(`example has no ${what}`);
  return value as JsonObject;
}

function applyAccount(target: JsonObject, overrides: AccountOverrides | undefined): void {
  Object.assign(target, { ...defaultAuthor, ...overrides });
  if (typeof target.login === 'string') {
    target.html_url = `https://github.com/${target.login}`;
  }
}

/** Applies the overrides shared by every trigger event; `item` is the comment, review or issue. */
function applyTriggerOverrides(
  fixture: GithubEventFixture,
  item: JsonObject,
  overrides: TriggerOverrides,
): void {
  const { payload } = fixture;
  if (overrides.action !== undefined) payload.action = overrides.action;
  if (overrides.installationId === null) delete payload.installation;
  else
    payload.installation = {
      id: overrides.installationId ?? defaultInstallationId,
      node_id: 'MDIzOkludGVncmF0aW9uNDI0Mg==',
    };
  const repository = object(payload.repository, 'repository');
  const owner = overrides.owner ?? 'acme';
  const repo = overrides.repo ?? 'web';
  repository.name = repo;
  repository.full_name = `${owner}/${repo}`;
  object(repository.owner, 'repository.owner').login = owner;
  if ('body' in overrides) item.body = overrides.body;
  const author = object(item.user, 'user');
  applyAccount(author, overrides.author);
  applyAccount(object(payload.sender, 'sender'), overrides.sender ?? overrides.author);
  if (overrides.viaAppId !== undefined)
    item.performed_via_github_app = { id: overrides.viaAppId, slug: 'some-app' };
}

/** `issue_comment.created` on an issue, or on a pull request with `onPullRequest`. */
export function issueCommentCreated(
  overrides: TriggerOverrides & { onPullRequest?: boolean } = {},
): GithubEventFixture {
  const fixture = exampleEvent('issue_comment', 'created');
  const issue = object(fixture.payload.issue, 'issue');
  const comment = object(fixture.payload.comment, 'comment');
  issue.number = overrides.number ?? 17;
  if (overrides.onPullRequest === true) {
    issue.pull_request = {
      url: 'https://api.github.com/repos/acme/web/pulls/17',
      html_url: 'https://github.com/acme/web/pull/17',
    };
  }
  if (overrides.commentId !== undefined) comment.id = overrides.commentId;
  if (overrides.createdAt !== undefined) comment.created_at = overrides.createdAt;
  applyTriggerOverrides(fixture, comment, overrides);
  return fixture;
}

/** `pull_request_review_comment.created` (a comment on a line of a pull request's diff). */
export function pullRequestReviewCommentCreated(overrides: TriggerOverrides = {}): GithubEventFixture {
  const fixture = exampleEvent('pull_request_review_comment', 'created');
  object(fixture.payload.pull_request, 'pull_request').number = overrides.number ?? 23;
  const comment = object(fixture.payload.comment, 'comment');
  if (overrides.commentId !== undefined) comment.id = overrides.commentId;
  if (overrides.createdAt !== undefined) comment.created_at = overrides.createdAt;
  applyTriggerOverrides(fixture, comment, overrides);
  return fixture;
}

/** `pull_request_review.submitted` (the review's summary text is the body). */
export function pullRequestReviewSubmitted(overrides: TriggerOverrides = {}): GithubEventFixture {
  const fixture = exampleEvent('pull_request_review', 'submitted');
  object(fixture.payload.pull_request, 'pull_request').number = overrides.number ?? 23;
  const review = object(fixture.payload.review, 'review');
  if (overrides.commentId !== undefined) review.id = overrides.commentId;
  if (overrides.createdAt !== undefined) review.submitted_at = overrides.createdAt;
  applyTriggerOverrides(fixture, review, overrides);
  return fixture;
}

/** `issues.opened`; `title` is the new issue's title. */
export function issueOpened(overrides: TriggerOverrides & { title?: string } = {}): GithubEventFixture {
  const fixture = exampleEvent('issues', 'opened');
  const issue = object(fixture.payload.issue, 'issue');
  issue.number = overrides.number ?? 31;
  if (overrides.title !== undefined) issue.title = overrides.title;
  if (overrides.createdAt !== undefined) issue.created_at = overrides.createdAt;
  applyTriggerOverrides(fixture, issue, overrides);
  return fixture;
}
