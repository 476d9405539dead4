/**
 * The one way Loom talks to GitHub as its app: an Octokit `App` at the configured REST base
 * (github.com or an Enterprise host's `/api/v3`), app JWT → installation tokens (cached and renewed
 * by @octokit/auth-app), Octokit's logging into ours, and every failure turned into a `LoomError`
 * by status code (`callGithub`). The worker's and the chores' adapters are built on it.
 */
import { App, Octokit } from 'octokit';
import type { Logger } from '../../../src/logging/index.js';
import { toGithubError } from './github-error.js';

export interface GithubAppOptions {
  appId: string;
  privateKey: string;
  /** REST base: `https://api.github.com` or `{protocol}://{host}/api/v3`. */
  apiUrl: string;
  logger: Logger;
  /**
   * Octokit's client-side throttling (GitHub asks integrators to space out content-creating
   * requests). On by default; tests switch it off to run without its one-second spacing.
   */
  throttle?: boolean;
  /** Octokit's retries of 5xx answers (default on). */
  retry?: boolean;
}

export type InstallationOctokit = InstanceType<typeof Octokit>;

export function createGithubApp(options: GithubAppOptions): App {
  const { logger } = options;
  const ConfiguredOctokit = Octokit.defaults({
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    ...(options.throttle === false ? { throttle: { enabled: false } } : {}),
    ...(options.retry === false ? { retry: { enabled: false } } : {}),
  });
  return new App({
    appId: options.appId,
    privateKey: options.privateKey,
    Octokit: ConfiguredOctokit,
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.error(message),
    },
  });
}

/** Runs one GitHub call; its failure becomes a `LoomError` saying what Loom was doing. */
export async function callGithub<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toGithubError(error, what);
  }
}
