/**
 * Makes the run's commit inside the weaver, where the files are: everything the agent changed
 * since the start commit becomes one commit authored by the app, with a `Co-authored-by` trailer for
 * the person who asked (issue 5 item 3). Commits the agent may have made itself are folded in
 * (`reset --soft`), so every commit Loom pushes has that author and trailer. Hooks are off: nothing
 * from the repository runs as part of Loom's commit.
 */
import { randomUUID } from 'node:crypto';
import { LoomError } from '../../../src/errors/index.js';
import type { Weaver } from '../../../src/weaver/index.js';
import type { CommitIdentity } from './github-worker-api.js';

export interface CommitInWeaverInput {
  weaver: Weaver;
  /** The commit the run started from (the bundle's tip). */
  startCommit: string;
  author: CommitIdentity;
  /** The full message, trailer included (see `buildCommitMessage`). */
  message: string;
  signal: AbortSignal;
}

const noChanges = 'LOOM_NO_CHANGES';

/** POSIX single-quoting: safe for any text, newlines included. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function buildCommitMessage(input: {
  subject: string;
  summary: string;
  reference: string;
  /** The requester, when they have a GitHub identity (Slack users and chores have none). */
  coAuthor?: CommitIdentity;
}): string {
  const subject = input.subject.replace(/\s+/g, ' ').trim().slice(0, 72) || 'Loom changes';
  const summary = input.summary.trim().slice(0, 2000);
  return [
    subject,
    '',
    ...(summary === '' ? [] : [summary, '']),
    `Requested in ${input.reference}.`,
    '',
    ...(input.coAuthor === undefined
      ? []
      : [`Co-authored-by: ${input.coAuthor.name} <${input.coAuthor.email}>`, '']),
  ].join('\n');
}

/** Returns the new commit, or undefined when the workspace has no change since `startCommit`. */
export async function commitInWeaver(input: CommitInWeaverInput): Promise<string | undefined> {
  const start = input.startCommit;
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(start))
    throw new LoomError('invalid_input', `Not a commit id: ${start}`);
  const script = [
    'set -e',
    'git add -A',
    `if git diff --cached --quiet ${start} --; then echo ${noChanges}; exit 0; fi`,
    `git reset -q --soft ${start}`,
    `printf '%s' ${shellQuote(input.message)} | git -c core.hooksPath=/dev/null -c commit.gpgsign=false` +
      ` -c user.name=${shellQuote(input.author.name)} -c user.email=${shellQuote(input.author.email)}` +
      ' commit -q --no-verify -F -',
    'git rev-parse HEAD',
  ].join('\n');
  const result = await input.weaver.execute(
    { id: `loom-commit-${randomUUID()}`, name: 'bash', arguments: { command: script, timeout_secs: 300 } },
    { signal: input.signal },
  );
  const lines = result.output.trim().split('\n');
  const last = lines.at(-1)?.trim() ?? '';
  if (result.isError || (last !== noChanges && !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(last))) {
    throw new LoomError(
      'tool_failed',
      `Could not commit the changes in the workspace: ${result.output.slice(-500)}`,
    );
  }
  return last === noChanges ? undefined : last;
}
