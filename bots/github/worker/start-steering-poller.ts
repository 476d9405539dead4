/**
 * While a run works, reads the conversation's new comments every few seconds (issue 5 item 4):
 * a plain comment by someone with write access is injected into the run as steering; a
 * `@{app-slug} stop` by such a person stops the run. Other mentions are follow-up requests with jobs
 * of their own, and comments by bots (Loom included) or without write access are ignored. Polling
 * GitHub needs no coordination with the server and works for whichever worker holds the job.
 */
import type { SteeringQueue } from '../../../src/agent/index.js';
import type { Logger } from '../../../src/logging/index.js';
import { isLoomComment } from './comment-markers.js';
import type { PermissionCheck } from './create-permission-check.js';
import type { GithubInstallationClient, IssueComment, RepositoryName } from './github-worker-api.js';
import { parseWorkerCommand, textAfterMention } from './parse-mention.js';

export interface SteeringPollerOptions {
  client: GithubInstallationClient;
  repository: RepositoryName;
  issueNumber: number;
  /** A PR's review comments steer too. */
  isPullRequest: boolean;
  appSlug: string;
  /** Only comments created after this instant count (the trigger's time). */
  since: string;
  /** The trigger comment itself. */
  ignoreCommentIds: number[];
  steering: SteeringQueue;
  mayWrite: PermissionCheck;
  /** Called once, with the login that asked to stop. */
  onStop(login: string): void;
  sanitize(text: string): string;
  intervalMs: number;
  logger: Logger;
}

export interface SteeringPoller {
  /** Polls once now (the first poll also runs at start). */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

function isBot(comment: IssueComment): boolean {
  return (
    comment.author.type === 'Bot' || comment.author.login.endsWith('[bot]') || isLoomComment(comment.body)
  );
}

export function startSteeringPoller(options: SteeringPollerOptions): SteeringPoller {
  // Issue comments and review comments are numbered apart: keyed by kind and id.
  const seen = new Set<string>(options.ignoreCommentIds.flatMap((id) => [`issue:${id}`, `review:${id}`]));
  const since = Date.parse(options.since);
  let stopped = false;
  let stopRequested = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function handle(key: string, comment: IssueComment): Promise<void> {
    seen.add(key);
    if (isBot(comment) || Date.parse(comment.createdAt) <= since) return;
    const mention = textAfterMention(comment.body, options.appSlug);
    if (mention !== undefined && parseWorkerCommand(mention).kind !== 'stop') return;
    if (!(await options.mayWrite(comment.author.login))) return;
    if (mention !== undefined) {
      if (!stopRequested) options.onStop(comment.author.login);
      stopRequested = true;
      return;
    }
    const text = options.sanitize(comment.body).trim();
    if (text !== '')
      options.steering.push(`@${comment.author.login} commented while you were working:\n\n${text}`);
  }

  async function pollOnce(): Promise<void> {
    try {
      const comments = await options.client.listComments(
        options.repository,
        options.issueNumber,
        options.since,
      );
      for (const comment of comments) {
        if (!seen.has(`issue:${comment.id}`)) await handle(`issue:${comment.id}`, comment);
      }
      if (options.isPullRequest) {
        const reviews = await options.client.listReviewComments(
          options.repository,
          options.issueNumber,
          options.since,
        );
        for (const comment of reviews) {
          if (!seen.has(`review:${comment.id}`)) await handle(`review:${comment.id}`, comment);
        }
      }
    } catch (error) {
      options.logger.warn({ err: error }, 'could not read new comments for steering');
    }
  }

  const poll = (): Promise<void> => {
    running = running.then(pollOnce);
    return running;
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => void poll().then(schedule), options.intervalMs);
    timer.unref();
  };
  void poll().then(schedule);
  return {
    poll,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
