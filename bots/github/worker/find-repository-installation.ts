/**
 * The app's installation that covers a repository. GitHub answers it in one call
 * (`GET /repos/{owner}/{repo}/installation`); a GitHub-compatible host that does not serve that
 * endpoint is asked the long way: the app's installations and each one's repositories (at most
 * `maxInstallationsScanned`, so a miss on a large app stays bounded).
 */
import type { App } from 'octokit';
import { isLoomError, LoomError } from '../../../src/errors/index.js';
import { callGithub } from './create-github-app.js';
import type { RepositoryName } from './github-worker-api.js';

export const maxInstallationsScanned = 50;

export interface FoundInstallation {
  id: number;
  appSlug: string | undefined;
}

export async function findRepositoryInstallation(
  app: App,
  repository: RepositoryName,
): Promise<FoundInstallation> {
  try {
    return await callGithub('find the app installation of the repository', async () => {
      const { data } = await app.octokit.request('GET /repos/{owner}/{repo}/installation', {
        ...repository,
      });
      const found = data as { id: number; app_slug?: string };
      return { id: found.id, appSlug: found.app_slug };
    });
  } catch (error) {
    if (!isLoomError(error, 'not_found')) throw error;
  }
  const wanted = `${repository.owner}/${repository.repo}`.toLowerCase();
  let scanned = 0;
  for await (const { octokit, installation } of app.eachInstallation.iterator()) {
    if (++scanned > maxInstallationsScanned) break;
    const repositories = await callGithub('list the installation repositories', () =>
      octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 }),
    );
    if (repositories.some((entry) => entry.full_name.toLowerCase() === wanted)) {
      return { id: installation.id, appSlug: installation.app_slug };
    }
  }
  throw new LoomError('not_found', `the app is not installed on ${repository.owner}/${repository.repo}`);
}
