/**
 * A Loom HTTP server with only the threads API mounted, the way the lead mounts it: the real
 * `createHttpApp`, a real SQLite store in a temp directory, real Loom tokens (src/auth), on loopback.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecretTokenKeys, createTokenService, type TokenService } from '../../../src/auth/index.js';
import { createSilentLogger } from '../../../src/logging/index.js';
import { createHttpApp, createMetrics, startHttpServer } from '../../../src/server/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createThreadsRouter, createTokenAuthenticator } from '../../../src/threads/index.js';

export interface ThreadsServer {
  url: string;
  store: Store;
  tokens: TokenService;
  /** A token as `loom token create --subject S --role R` prints it. */
  token(subject: string, role?: 'user' | 'admin'): string;
  close(): Promise<void>;
}

export async function startThreadsServer(): Promise<ThreadsServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'loom-threads-server-'));
  const store = await openStore({ dataDir });
  const tokens = createTokenService({ keys: createSecretTokenKeys(`threads-test-secret-${'x'.repeat(32)}`) });
  const logger = createSilentLogger();
  const app = createHttpApp({
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: [],
    integrations: {},
    routes: [
      {
        path: '/api/threads',
        router: createThreadsRouter({
          threads: store.threads,
          authenticate: createTokenAuthenticator({ tokens, revocations: store.revocations }),
          logger,
        }),
      },
    ],
  });
  const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    store,
    tokens,
    token: (subject, role = 'user') => tokens.mint({ subject, role, ttlSeconds: 600 }).token,
    async close() {
      await server.close(1000);
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The JSON answers of the threads API, loosely typed for assertions. */
export interface ThreadsApiAnswer {
  threads: Array<{ id: string }>;
  hits: Array<{ thread: { id: string; owner: string }; messageSeq?: number; snippet: { text: string } }>;
  thread: ThreadJson;
  error: { code: string; message: string; details: { problems: string[]; currentVersion?: number } };
}

export interface ThreadJson {
  id: string;
  owner: string;
  version: number;
  repository?: string;
  sources: unknown[];
  messages: Array<{
    seq: number;
    role: string;
    content: string;
    tool_calls?: Array<{ id: string; name: string }>;
    tool_call_id?: string;
    is_error?: boolean;
    runId?: string;
  }>;
}
