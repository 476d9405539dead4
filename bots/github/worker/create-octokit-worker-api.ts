/**
 * The Octokit adapter of `GithubWorkerApi`: app authentication (JWT → installation token, cached and
 * renewed by @octokit/auth-app), REST calls at the configured API base (github.com or an Enterprise
 * host's `/api/v3`), and every failure turned into a `LoomError` by status code.
 */
import {
  callGithub,
  createGithubApp,
  type GithubAppOptions,
  type InstallationOctokit,
} from './create-github-app.js';
import { createCompletedCheckRun } from './create-completed-check-run.js';
import { findRepositoryInstallation } from './find-repository-installation.js';
import { noreplyDomain } from './github-error.js';
import type {
  GithubInstallationClient,
  GithubWorkerApi,
  IssueComment,
  RepositoryPermission,
} from './github-worker-api.js';

export type OctokitWorkerApiOptions = GithubAppOptions;

interface RawComment {
  id: number;
  body?: string | null;
  user: { login: string; type: string } | null;
  created_at: string;
  html_url: string;
}

function toComment(raw: RawComment): IssueComment {
  return {
    id: raw.id,
    body: raw.body ?? '',
    author: { login: raw.user?.login ?? 'ghost', type: raw.user?.type ?? 'User' },
    createdAt: raw.created_at,
    url: raw.html_url,
  };
}

/** `role_name` tells `maintain` from `write` and `triage` from `read`; `permission` folds them. */
function toPermission(permission: string, roleName: string | undefined): RepositoryPermission {
  const known: RepositoryPermission[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];
  if (roleName !== undefined && (known as string[]).includes(roleName))
    return roleName as RepositoryPermission;
  return (known as string[]).includes(permission) ? (permission as RepositoryPermission) : 'none';
}

const call = callGithub;

export function createOctokitWorkerApi(options: OctokitWorkerApiOptions): GithubWorkerApi {
  const logger = options.logger.child({ component: 'github-api' });
  const app = createGithubApp({ ...options, logger });
  let appSlug: string | undefined;
  return {
    async forInstallation(installationId) {
      const octokit = await call('authenticate as the installation', () =>
        app.getInstallationOctokit(installationId),
      );
      return installationClient(octokit as unknown as InstallationOctokit, noreplyDomain(options.apiUrl));
    },
    async findInstallation(repository) {
      const installation = await findRepositoryInstallation(app, repository);
      // GitHub names the app in the installation; a host that does not is asked once.
      if (installation.appSlug !== undefined) {
        return { installationId: installation.id, appSlug: installation.appSlug };
      }
      appSlug ??= await call('read the app', async () => {
        const { data } = await app.octokit.request('GET /app');
        return (data as { slug?: string } | null)?.slug ?? '';
      });
      return { installationId: installation.id, appSlug };
    },
  };
}

function installationClient(octokit: InstallationOctokit, emailDomain: string): GithubInstallationClient {
  return {
    gitToken: () =>
      call('get an installation token', async () => {
        const auth = (await octokit.auth({ type: 'installation' })) as { token: string };
        return auth.token;
      }),
    getPermission: (repository, login) =>
      call('read the collaborator permission', async () => {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
          ...repository,
          username: login,
        });
        return toPermission(data.permission, (data as { role_name?: string }).role_name);
      }),
    addReaction: (repository, target, content) =>
      call('add a reaction', async () => {
        if (target.kind === 'issue_comment') {
          await octokit.rest.reactions.createForIssueComment({
            ...repository,
            comment_id: target.commentId,
            content,
          });
        } else if (target.kind === 'review_comment') {
          await octokit.rest.reactions.createForPullRequestReviewComment({
            ...repository,
            comment_id: target.commentId,
            content,
          });
        } else {
          await octokit.rest.reactions.createForIssue({
            ...repository,
            issue_number: target.number,
            content,
          });
        }
      }),
    createComment: (repository, issueNumber, body) =>
      call('create a comment', async () => {
        const { data } = await octokit.rest.issues.createComment({
          ...repository,
          issue_number: issueNumber,
          body,
        });
        return toComment(data as RawComment);
      }),
    updateComment: (repository, commentId, body) =>
      call('update a comment', async () => {
        await octokit.rest.issues.updateComment({ ...repository, comment_id: commentId, body });
      }),
    listComments: (repository, issueNumber, since) =>
      call('list comments', async () => {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          ...repository,
          issue_number: issueNumber,
          per_page: 100,
          ...(since === undefined ? {} : { since }),
        });
        return comments.map((comment) => toComment(comment as RawComment));
      }),
    listReviewComments: (repository, pullNumber, since) =>
      call('list review comments', async () => {
        const comments = await octokit.paginate(octokit.rest.pulls.listReviewComments, {
          ...repository,
          pull_number: pullNumber,
          per_page: 100,
          ...(since === undefined ? {} : { since }),
        });
        return comments.map((comment) => toComment(comment as RawComment));
      }),
    getIssue: (repository, issueNumber) =>
      call('read the issue', async () => {
        const { data } = await octokit.rest.issues.get({ ...repository, issue_number: issueNumber });
        return {
          title: data.title,
          body: data.body ?? '',
          isPullRequest: data.pull_request !== undefined && data.pull_request !== null,
          url: data.html_url,
        };
      }),
    getPullRequest: (repository, pullNumber) =>
      call('read the pull request', async () => {
        const { data } = await octokit.rest.pulls.get({ ...repository, pull_number: pullNumber });
        return {
          number: data.number,
          title: data.title,
          body: data.body ?? '',
          url: data.html_url,
          state: data.state === 'open' ? 'open' : 'closed',
          draft: data.draft === true,
          head: { ref: data.head.ref, sha: data.head.sha, repositoryFullName: data.head.repo?.full_name },
          base: { ref: data.base.ref, sha: data.base.sha, repositoryFullName: data.base.repo.full_name },
        };
      }),
    getDefaultBranch: (repository) =>
      call(
        'read the repository',
        async () => (await octokit.rest.repos.get({ ...repository })).data.default_branch,
      ),
    findOpenPullRequest: (repository, branch) =>
      call('list pull requests', async () => {
        const { data } = await octokit.rest.pulls.list({
          ...repository,
          head: `${repository.owner}:${branch}`,
          state: 'open',
          per_page: 10,
        });
        const found = data.find((pull) => pull.head.ref === branch);
        return found === undefined ? undefined : { number: found.number, url: found.html_url };
      }),
    createPullRequest: (repository, input) =>
      call('create the pull request', async () => {
        const { data } = await octokit.rest.pulls.create({ ...repository, ...input });
        return { number: data.number, url: data.html_url };
      }),
    updatePullRequest: (repository, pullNumber, input) =>
      call('update the pull request', async () => {
        await octokit.rest.pulls.update({ ...repository, pull_number: pullNumber, body: input.body });
      }),
    addLabels: (repository, issueNumber, labels) =>
      call('label the issue', async () => {
        await octokit.rest.issues.addLabels({ ...repository, issue_number: issueNumber, labels });
      }),
    requestReviewers: (repository, pullNumber, reviewers) =>
      call('request reviewers', async () => {
        await octokit.rest.pulls.requestReviewers({ ...repository, pull_number: pullNumber, reviewers });
      }),
    createCheckRun: (repository, input) => createCompletedCheckRun(octokit, repository, input),
    botIdentity: (appSlug) =>
      call('read the bot account', async () => {
        const login = `${appSlug}[bot]`;
        const { data } = await octokit.rest.users.getByUsername({ username: login });
        return { name: login, email: `${data.id}+${login}@${emailDomain}` };
      }),
  };
}
