/** "May this login make Loom write?", asked once per login per run (the answer is cached). */
import { hasWriteAccess } from './has-write-access.js';
import type { GithubInstallationClient, RepositoryName } from './github-worker-api.js';

export type PermissionCheck = (login: string) => Promise<boolean>;

export function createPermissionCheck(
  client: GithubInstallationClient,
  repository: RepositoryName,
): PermissionCheck {
  const answers = new Map<string, Promise<boolean>>();
  return (login) => {
    const key = login.toLowerCase();
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = client.getPermission(repository, login).then(hasWriteAccess);
      // A failed lookup is not cached: the next comment asks again.
      answer.catch(() => answers.delete(key));
      answers.set(key, answer);
    }
    return answer;
  };
}
