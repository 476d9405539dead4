/**
 * Worker-side git: a bare mirror per repository that fetches and pushes with an installation token,
 * and the bundles that carry code into and out of a weaver (which never holds a credential).
 */
export { createRepositoryMirror } from './create-repository-mirror.js';
export type {
  MirrorBranch,
  PushInput,
  RepositoryMirror,
  RepositoryMirrorOptions,
} from './create-repository-mirror.js';
export { createKeyedMutex } from './keyed-mutex.js';
export type { KeyedMutex } from './keyed-mutex.js';
export { gitAuthEnvironment } from './git-auth-environment.js';
export { isSafeBranchName, isSafeRepositoryName, isCommitId, mirrorPath } from './mirror-path.js';
export { parsePushPorcelain } from './parse-push-porcelain.js';
export type { PushOutcome } from './parse-push-porcelain.js';
export { runGitCommand } from './run-git-command.js';
export type { GitCommandOptions, GitCommandResult } from './run-git-command.js';
