/**
 * A pull request on the test host, as a contributor would open it: `files` committed on top of
 * `main` on the head branch, and the PR in the fake API. From a fork, the commit reaches the base
 * repository only as `refs/pull/{n}/head` (as on GitHub) and the head branch does not exist there.
 */
import type { WorkerHarness } from './github-worker-harness.js';
import { owner, repo } from './github-worker-harness.js';
import { commitFiles, git, hostedRepositoryPath } from './hosted-repository.js';

export async function openPullRequest(
  h: WorkerHarness,
  input: {
    number: number;
    title: string;
    body?: string;
    head: string;
    files: Record<string, string>;
    /** `owner/repo` of a fork the PR comes from; the base repository by default. */
    fork?: string;
  },
): Promise<string> {
  const bare = hostedRepositoryPath(h.git.root, owner, repo);
  const headSha = await commitFiles(bare, input.head, input.files, {
    from: 'main',
    message: `${input.title} (PR #${input.number})`,
  });
  if (input.fork !== undefined) {
    await git(bare, ['update-ref', `refs/pull/${input.number}/head`, headSha]);
    await git(bare, ['branch', '-D', input.head]);
  }
  h.fake.pulls.push({
    number: input.number,
    title: input.title,
    body: input.body ?? '',
    head: input.head,
    headSha,
    base: 'main',
    draft: false,
    state: 'open',
    headRepo: input.fork ?? `${owner}/${repo}`,
  });
  return headSha;
}
