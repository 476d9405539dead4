import type { ThreadSource } from './thread-types.js';

/**
 * The stable key of a source, unique across threads: a follow-up in the same Slack thread, issue or
 * PR finds its thread by this key. GitHub issues and PRs share one number space per repository, so
 * `github:acme/web#12` names either; repository names are case-insensitive on GitHub, hence lower case.
 */
export function threadSourceKey(source: ThreadSource): string {
  switch (source.kind) {
    case 'slack':
      return `slack:${source.teamId}/${source.channelId}/${source.threadTs}`;
    case 'github':
      return `github:${source.repository.toLowerCase()}#${source.number}`;
    case 'chore':
      return `chore:${source.repository.toLowerCase()}/${source.chore}`;
    case 'cli':
      return `cli:${source.session}`;
  }
}

/** The repository a source is about, when it names one. */
export function threadSourceRepository(source: ThreadSource): string | undefined {
  return source.kind === 'github' || source.kind === 'chore' ? source.repository : undefined;
}
