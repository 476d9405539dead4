/**
 * The texts of the answers the ingress gives at once, without a job. Kept together so their wording
 * is consistent and never leaks policy details (which rule, which list).
 */

export const slackReplies = {
  whichRepository: (): string =>
    'Which repository should I work on? Reply here with `owner/repo` (or a GitHub link), or set a ' +
    'default for this channel with `@loom use owner/repo`.',
  refused: (repository: string): string =>
    `Sorry, you are not allowed to run Loom tasks on \`${repository}\` from here.`,
  bindRefused: (repository: string): string =>
    `Sorry, you are not allowed to make \`${repository}\` this channel's default repository.`,
  bound: (repository: string): string =>
    `OK: in this channel I will work on \`${repository}\` unless a message names another repository.`,
  nothingHere: (): string => 'There is no Loom task in this thread.',
  usage: (): string =>
    'Tell me what to do, for example `@loom fix the flaky login test in acme/web`. ' +
    '`stop` cancels the running task, `status` reports on it, `use owner/repo` sets the channel default.',
};
