/**
 * The GitHub worker's dependencies as a test wires them, the way `loom worker` will: the Octokit
 * adapter against a GitHub-compatible API base, model access through the real Loom proxy with job
 * tokens, the local weaver (bubblewrap when it works here), the mirror and workspaces in a data
 * directory, threads in the real store. Shared by in-process tests and the worker child process.
 */
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import {
  createProxyModelAccess,
  createOctokitWorkerApi,
  createMemoryConversationLock,
  type GithubWorkerDeps,
} from '../../../bots/github/worker/index.js';
import { createSecretTokenKeys, createTokenService, type RevocationList } from '../../../src/auth/index.js';
import type { Logger } from '../../../src/logging/index.js';
import { sanitizeUntrustedText } from '../../../src/sanitize/index.js';
import type { ThreadRepository } from '../../../src/threads/index.js';
import { createLocalWeaver } from '../../../src/weaver/index.js';
import { testJwtSecret } from '../../proxy/support/start-proxy.js';

export const testAppId = 4711;
export const testAppSlug = 'loom-bot';
export const testModel = 'anthropic/claude-sonnet-4-6';

let appKeys: { privateKey: string; publicKey: string } | undefined;

/** One RSA key pair for the test app, made once per process. */
export function testAppKeys(): { privateKey: string; publicKey: string } {
  appKeys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return appKeys;
}

export interface TestWorkerDepsInput {
  apiUrl: string;
  privateKey: string;
  gitUrl: string;
  proxyUrl: string;
  dataDir: string;
  logger: Logger;
  threads?: ThreadRepository;
  revocations?: RevocationList;
  overrides?: Partial<GithubWorkerDeps>;
}

export function testWorkerDeps(input: TestWorkerDepsInput): GithubWorkerDeps {
  return {
    api: createOctokitWorkerApi({
      appId: String(testAppId),
      privateKey: input.privateKey,
      apiUrl: input.apiUrl,
      logger: input.logger,
      throttle: false,
      retry: false,
    }),
    models: createProxyModelAccess({
      tokens: createTokenService({ keys: createSecretTokenKeys(testJwtSecret) }),
      ...(input.revocations ? { revocations: input.revocations } : {}),
      proxyUrl: input.proxyUrl,
      model: testModel,
    }),
    createWeaver: ({ workspaceDir }) =>
      createLocalWeaver({ workspaceDir, sandbox: 'auto', dataDir: input.dataDir, logger: input.logger }),
    gitUrl: input.gitUrl,
    mirrorsDir: path.join(input.dataDir, 'mirrors'),
    workspacesDir: path.join(input.dataDir, 'workspaces'),
    ...(input.threads ? { threads: input.threads } : {}),
    conversationLock: createMemoryConversationLock(),
    sanitize: sanitizeUntrustedText,
    defaultBudgetUsd: 5,
    maxWallTimeMs: 120_000,
    progressIntervalMs: 100,
    steeringPollMs: 200,
    maxAttempts: 3,
    ...input.overrides,
  };
}
