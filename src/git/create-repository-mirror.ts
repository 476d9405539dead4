/**
 * The worker's local bare mirror of one repository, under the data directory. It is the only place
 * that talks to the git host, always with a token passed per command: the worker fetches into it,
 * cuts a bundle for the weaver, takes the weaver's bundle back, and pushes from it. The weaver never
 * sees a token or the host.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { OutboundProxyConfig } from '../config/index.js';
import { LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { gitProxyEnvironment } from '../outbound/index.js';
import { gitAuthEnvironment, gitAuthSecrets } from './git-auth-environment.js';
import { createKeyedMutex, type KeyedMutex } from './keyed-mutex.js';
import { assertSafeBranchName, mirrorPath } from './mirror-path.js';
import { parsePushPorcelain } from './parse-push-porcelain.js';
import { runGitCommand, type GitCommandOptions } from './run-git-command.js';
import { createWorkBundle, receiveWorkBundle } from './work-bundle.js';

export interface RepositoryMirrorOptions {
  /** Directory holding every mirror (e.g. `{LOOM_DATA_DIR}/mirrors`). */
  rootDir: string;
  /** Git base URL: the repository is `{gitUrl}/{owner}/{repo}.git`. */
  gitUrl: string;
  owner: string;
  repo: string;
  logger: Logger;
  /** Serializes ref-writing commands per mirror; share one across the process. */
  mutex?: KeyedMutex;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY for fetches and pushes; undefined: the host is reached directly. */
  outboundProxy?: OutboundProxyConfig | undefined;
}

export interface MirrorBranch {
  name: string;
  commit: string;
}

export interface PushInput {
  commit: string;
  branch: string;
  /** Allow a non-fast-forward update (only for branches Loom owns, such as WIP branches). */
  force?: boolean;
}

export interface RepositoryMirror {
  readonly path: string;
  /** Fetches every branch and tag (pruning deleted branches), plus `extraRefspecs`. */
  fetch(token: string, extraRefspecs?: string[]): Promise<void>;
  /** The commit a ref or revision names, or undefined. */
  resolve(revision: string): Promise<string | undefined>;
  /** Branches whose name starts with `prefix`, newest commit first. */
  listBranches(prefix: string): Promise<MirrorBranch[]>;
  /** A file's text at a commit, or undefined when it is missing (or not a file). */
  readFile(commit: string, filePath: string): Promise<string | undefined>;
  /** Commits reachable from `tip` but not from `base`. */
  countCommits(base: string, tip: string): Promise<number>;
  createBundle(input: { branch: string; commit: string }): Promise<Buffer>;
  /** Stores the tip of a weaver's bundle under `ref` (inside `refs/loom/`) and returns its commit. */
  receiveBundle(bundle: Buffer, ref: string): Promise<string>;
  /** Pushes `commit` to `refs/heads/{branch}`; `conflict` when the host rejects it (not a fast-forward). */
  push(token: string, input: PushInput): Promise<void>;
  /**
   * Drops a finished run's ref (`refs/loom/runs/{runId}`) and lets git pack and prune what no ref
   * holds any more (`gc --auto`, under the mirror's lock), so a long-lived mirror does not grow
   * without bound.
   */
  forgetRun(ref: string): Promise<void>;
}

const sharedMutex = createKeyedMutex();

export function createRepositoryMirror(options: RepositoryMirrorOptions): RepositoryMirror {
  const directory = mirrorPath(options.rootDir, options.owner, options.repo);
  const remoteUrl = `${options.gitUrl.replace(/\/+$/, '')}/${options.owner}/${options.repo}.git`;
  const mutex = options.mutex ?? sharedMutex;
  const logger = options.logger.child({
    component: 'mirror',
    repository: `${options.owner}/${options.repo}`,
  });
  const git = (args: string[], extra: Omit<GitCommandOptions, 'cwd'> = {}) =>
    runGitCommand(args, { cwd: directory, ...extra });
  const exclusive = <T>(work: () => Promise<T>) => mutex.run(directory, work);
  /** The token and the proxy, for the commands that talk to the host. */
  const remoteEnvironment = (token: string) => ({
    ...gitProxyEnvironment(options.outboundProxy),
    ...gitAuthEnvironment(token),
  });

  async function ensureInitialized(): Promise<void> {
    if (existsSync(path.join(directory, 'HEAD'))) return;
    await mkdir(directory, { recursive: true });
    await runGitCommand(['init', '--bare', '-q', directory], { cwd: directory });
    // No automatic gc: a repack could delete a pack a bundle is being cut from. Mirrors are
    // maintained out of band (see specs/github-worker.md).
    await git(['config', 'gc.auto', '0']);
  }

  return {
    path: directory,
    fetch: (token, extraRefspecs = []) =>
      exclusive(async () => {
        await ensureInitialized();
        const started = Date.now();
        await git(
          [
            'fetch',
            '-q',
            '--prune',
            '--no-write-fetch-head',
            remoteUrl,
            '+refs/heads/*:refs/heads/*',
            '+refs/tags/*:refs/tags/*',
            ...extraRefspecs,
          ],
          { env: remoteEnvironment(token), redact: gitAuthSecrets(token) },
        );
        logger.debug({ durationMs: Date.now() - started }, 'mirror fetched');
      }),
    async resolve(revision) {
      if (revision.startsWith('-')) return undefined;
      const result = await git(['rev-parse', '--verify', '-q', `${revision}^{commit}`], {
        allowFailure: true,
      });
      return result.exitCode === 0 ? result.stdout.trim() : undefined;
    },
    async listBranches(prefix) {
      const result = await git([
        'for-each-ref',
        '--sort=-committerdate',
        '--format=%(refname:lstrip=2) %(objectname)',
        'refs/heads/',
      ]);
      return result.stdout
        .split('\n')
        .map((line) => line.split(' '))
        .filter(
          (parts): parts is [string, string] => parts.length === 2 && (parts[0] ?? '').startsWith(prefix),
        )
        .map(([name, commit]) => ({ name, commit }));
    },
    async readFile(commit, filePath) {
      if (commit.startsWith('-') || filePath.includes('\0')) return undefined;
      const result = await git(['cat-file', 'blob', `${commit}:${filePath}`], { allowFailure: true });
      return result.exitCode === 0 ? result.stdout : undefined;
    },
    async countCommits(base, tip) {
      const result = await git(['rev-list', '--count', `${base}..${tip}`, '--']);
      return Number(result.stdout.trim());
    },
    forgetRun: (ref) =>
      exclusive(async () => {
        if (!ref.startsWith('refs/loom/runs/')) throw new LoomError('invalid_input', `not a run ref: ${ref}`);
        await git(['update-ref', '-d', ref], { allowFailure: true });
        // gc.auto is 0 for the mirror (no gc in the middle of a bundle); here nothing else runs.
        await git(['-c', 'gc.auto=6700', '-c', 'gc.autoDetach=false', 'gc', '--auto', '--quiet']);
      }),
    createBundle: (input) => exclusive(() => createWorkBundle(directory, input)),
    receiveBundle: (bundle, ref) => exclusive(() => receiveWorkBundle(directory, bundle, ref)),
    push: (token, input) =>
      exclusive(async () => {
        assertSafeBranchName(input.branch);
        const refspec = `${input.force ? '+' : ''}${input.commit}:refs/heads/${input.branch}`;
        const result = await git(['push', '--porcelain', remoteUrl, refspec], {
          env: remoteEnvironment(token),
          redact: gitAuthSecrets(token),
          allowFailure: true,
        });
        const outcome = parsePushPorcelain(result.stdout);
        if (result.exitCode === 0 && outcome.rejected.length === 0) return;
        if (outcome.rejected.length > 0) {
          throw new LoomError(
            'conflict',
            `The host rejected the push to ${input.branch}: ${outcome.rejected.join('; ')}`,
            {
              details: { branch: input.branch },
            },
          );
        }
        throw new LoomError(
          'upstream_unavailable',
          `git push failed: ${result.stderr.trim().slice(0, 1000)}`,
          {
            details: { branch: input.branch, exitCode: result.exitCode },
          },
        );
      }),
  };
}
