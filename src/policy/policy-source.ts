/**
 * Where the current policy comes from. A file source re-reads LOOM_POLICY_FILE when it changes, so an
 * operator can tighten access without a restart; a file that is missing or invalid makes `current()`
 * throw, and the caller denies (fail closed) instead of falling back to the permissive default.
 */
import { readFile, stat } from 'node:fs/promises';
import { LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { parsePolicy } from './parse-policy.js';
import type { Policy } from './policy-schema.js';

export interface PolicySource {
  /** The policy in force now; throws when it cannot be read or is invalid. */
  current(): Promise<Policy>;
}

/** A fixed policy (tests, or a default built in code). */
export function staticPolicySource(policy: Policy): PolicySource {
  return { current: async () => policy };
}

export interface FilePolicySourceOptions {
  logger: Logger;
  /** How often at most the file's mtime is checked (default 1000 ms; 0 checks on every call). */
  checkIntervalMs?: number;
  now?: () => number;
}

interface Loaded {
  version: string;
  policy: Policy | undefined;
  error: LoomError | undefined;
}

/** A policy read from a YAML file and re-read whenever its size or mtime changes. */
export function filePolicySource(path: string, options: FilePolicySourceOptions): PolicySource {
  const interval = options.checkIntervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let loaded: Loaded | undefined;
  let checkedAt = -Infinity;
  let pending: Promise<Loaded> | undefined;

  const refresh = async (): Promise<Loaded> => {
    let version: string;
    try {
      const info = await stat(path);
      version = `${info.mtimeMs}:${info.size}`;
    } catch (error) {
      return report({ version: 'missing', policy: undefined, error: unreadable(path, error) });
    }
    if (loaded?.version === version) return loaded;
    try {
      const policy = parsePolicy(await readFile(path, 'utf8'), path);
      options.logger.info({ path, rules: policy.slackRules.length }, 'policy file loaded');
      return { version, policy, error: undefined };
    } catch (error) {
      const failure = error instanceof LoomError ? error : unreadable(path, error);
      return report({ version, policy: undefined, error: failure });
    }
  };

  // Logs each distinct failure once, not on every request.
  const report = (next: Loaded): Loaded => {
    if (loaded?.version !== next.version || loaded.error === undefined) {
      options.logger.error({ path, err: next.error }, 'policy file unusable: denying every request');
    }
    return next;
  };

  return {
    async current() {
      if (loaded === undefined || now() - checkedAt >= interval) {
        pending ??= refresh().finally(() => {
          pending = undefined;
        });
        loaded = await pending;
        checkedAt = now();
      }
      if (loaded.error !== undefined) throw loaded.error;
      return loaded.policy as Policy;
    },
  };
}

function unreadable(path: string, cause: unknown): LoomError {
  return new LoomError('config_invalid', `policy file ${path} cannot be read`, { cause });
}
