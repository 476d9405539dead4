/**
 * The GitHub calls the worker makes, as a port. The only adapter (`createOctokitWorkerApi`) imports
 * Octokit; everything else in the worker is written against these types, so GitHub's shapes stop at
 * the adapter. Every method throws `LoomError` (see `githubErrorCode`).
 */

export interface RepositoryName {
  owner: string;
  repo: string;
}

/** `permission` as the collaborator permission API reports it, refined by `role_name`. */
export type RepositoryPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

/** What a reaction is put on: a comment of an issue or PR, a PR review comment, or the issue itself. */
export type ReactionTarget =
  | { kind: 'issue_comment'; commentId: number }
  | { kind: 'review_comment'; commentId: number }
  | { kind: 'issue'; number: number };

export type ReactionContent = 'eyes' | '+1' | 'rocket' | 'confused';

export interface IssueComment {
  id: number;
  body: string;
  /** Login of the author; `type` tells bots from people. */
  author: { login: string; type: string };
  createdAt: string;
  url: string;
}

export interface IssueDetails {
  title: string;
  body: string;
  isPullRequest: boolean;
  url: string;
}

export interface PullRequestDetails {
  number: number;
  title: string;
  body: string;
  url: string;
  state: 'open' | 'closed';
  draft: boolean;
  head: { ref: string; sha: string; repositoryFullName: string | undefined };
  base: { ref: string; sha: string; repositoryFullName: string };
}

export interface PullRequestSummary {
  number: number;
  url: string;
}

export interface CreatePullRequestInput {
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled';
  title: string;
  summary: string;
  text?: string;
  /** Links the check run to the run it reports (`external_id`). */
  externalId: string;
}

export interface CommitIdentity {
  name: string;
  email: string;
}

/** The calls made on behalf of one installation. */
export interface GithubInstallationClient {
  /** An installation token for git (fetch and push), fresh enough for the next few minutes. */
  gitToken(): Promise<string>;
  getPermission(repository: RepositoryName, login: string): Promise<RepositoryPermission>;
  addReaction(repository: RepositoryName, target: ReactionTarget, content: ReactionContent): Promise<void>;
  createComment(repository: RepositoryName, issueNumber: number, body: string): Promise<IssueComment>;
  updateComment(repository: RepositoryName, commentId: number, body: string): Promise<void>;
  /** Comments of an issue or PR conversation, oldest first; `since` filters by last update. */
  listComments(repository: RepositoryName, issueNumber: number, since?: string): Promise<IssueComment[]>;
  /** A PR's review comments (on lines of the diff), updated at or after `since`. */
  listReviewComments(repository: RepositoryName, pullNumber: number, since?: string): Promise<IssueComment[]>;
  getIssue(repository: RepositoryName, issueNumber: number): Promise<IssueDetails>;
  getPullRequest(repository: RepositoryName, pullNumber: number): Promise<PullRequestDetails>;
  getDefaultBranch(repository: RepositoryName): Promise<string>;
  /** The open pull request whose head is `branch` of this repository, if any. */
  findOpenPullRequest(repository: RepositoryName, branch: string): Promise<PullRequestSummary | undefined>;
  createPullRequest(repository: RepositoryName, input: CreatePullRequestInput): Promise<PullRequestSummary>;
  updatePullRequest(repository: RepositoryName, pullNumber: number, input: { body: string }): Promise<void>;
  createCheckRun(repository: RepositoryName, input: CheckRunInput): Promise<{ id: number }>;
  addLabels(repository: RepositoryName, issueNumber: number, labels: string[]): Promise<void>;
  requestReviewers(repository: RepositoryName, pullNumber: number, reviewers: string[]): Promise<void>;
  /** The app's bot account as a commit author (`{slug}[bot]`, with its noreply address). */
  botIdentity(appSlug: string): Promise<CommitIdentity>;
}

/** Where the app is installed for a repository, and the app's own slug. */
export interface RepositoryInstallation {
  installationId: number;
  appSlug: string;
}

export interface GithubWorkerApi {
  forInstallation(installationId: number): Promise<GithubInstallationClient>;
  /**
   * The installation that covers `repository` (Slack requests and chores name a repository, not an
   * installation); `not_found` when the app is not installed there.
   */
  findInstallation(repository: RepositoryName): Promise<RepositoryInstallation>;
}
