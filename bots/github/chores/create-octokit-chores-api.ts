/**
 * The Octokit adapter of `ChoresGithubApi`, configured like the worker's (app JWT → installation
 * tokens, the configured API base for github.com or an Enterprise host), every failure a LoomError.
 */
import { isLoomError } from '../../../src/errors/index.js';
import {
  callGithub,
  createGithubApp,
  type GithubAppOptions,
  type InstallationOctokit,
} from '../worker/create-github-app.js';
import { createCompletedCheckRun } from '../worker/create-completed-check-run.js';
import type { ChoresGithubApi, ChoresInstallationClient } from './chores-github-api.js';

export type OctokitChoresApiOptions = GithubAppOptions;

/** Pages of open issues searched for the dashboard marker before concluding there is none. */
const maxIssuePages = 5;

const call = callGithub;

export function createOctokitChoresApi(options: OctokitChoresApiOptions): ChoresGithubApi {
  const logger = options.logger.child({ component: 'github-chores-api' });
  const app = createGithubApp({ ...options, logger });
  return {
    listInstallations: () =>
      call('list the app installations', async () => {
        const installations = await app.octokit.paginate(app.octokit.rest.apps.listInstallations, {
          per_page: 100,
        });
        return installations.map((installation) => installation.id);
      }),
    async forInstallation(installationId) {
      const octokit = await call('authenticate as the installation', () =>
        app.getInstallationOctokit(installationId),
      );
      return installationClient(octokit as unknown as InstallationOctokit);
    },
  };
}

function installationClient(octokit: InstallationOctokit): ChoresInstallationClient {
  return {
    listRepositories: () =>
      call('list the installation repositories', async () => {
        const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
          per_page: 100,
        });
        return repositories.map((repository) => ({
          owner: repository.owner.login,
          repo: repository.name,
          defaultBranch: repository.default_branch,
        }));
      }),
    getDefaultBranch: (repository) =>
      call(
        'read the repository',
        async () => (await octokit.rest.repos.get({ ...repository })).data.default_branch,
      ),
    readFile: async (repository, path, ref) => {
      try {
        return await call(`read ${path}`, async () => {
          const { data } = await octokit.rest.repos.getContent({ ...repository, path, ref });
          if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
          return Buffer.from(data.content, 'base64').toString('utf8');
        });
      } catch (failure) {
        if (isLoomError(failure, 'not_found')) return undefined;
        throw failure;
      }
    },
    createCheckRun: (repository, input) => createCompletedCheckRun(octokit, repository, input),
    findIssueWithMarker: (repository, marker) =>
      call('list issues', async () => {
        for (let page = 1; page <= maxIssuePages; page += 1) {
          const { data } = await octokit.rest.issues.listForRepo({
            ...repository,
            state: 'open',
            per_page: 100,
            page,
          });
          const found = data.find(
            (issue) => issue.pull_request === undefined && (issue.body ?? '').includes(marker),
          );
          if (found !== undefined) return { number: found.number, url: found.html_url };
          if (data.length < 100) return undefined;
        }
        return undefined;
      }),
    createIssue: (repository, input) =>
      call('create the dashboard issue', async () => {
        const { data } = await octokit.rest.issues.create({
          ...repository,
          title: input.title,
          body: input.body,
        });
        return { number: data.number, url: data.html_url };
      }),
    updateIssue: (repository, issueNumber, input) =>
      call('update the dashboard issue', async () => {
        await octokit.rest.issues.update({ ...repository, issue_number: issueNumber, ...input });
      }),
  };
}
