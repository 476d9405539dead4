/**
 * Mounts the chores API at `/api/chores` (admin tokens from `loom token create --role admin`), and
 * the start-up reconcile of every installation's chores, both ready for `startServices`.
 */
import { readFile } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import {
  createChoresRouter,
  createOctokitChoresApi,
  reconcileAllChores,
} from '../../../bots/github/chores/index.js';
import type { ReconcileAllChoresReport } from '../../../bots/github/chores/index.js';
import type { LoomConfig } from '../../config/index.js';
import type { Logger } from '../../logging/index.js';
import type { Store } from '../../store/index.js';
import { createApiAuthenticator } from './api-authenticator.js';
import type { RouteFactory } from './start-services.js';

export const choresApiPath = '/api/chores';

export const createChoresRoutes: RouteFactory = async ({ config, store, queue, logger }) => {
  const authenticate = await createApiAuthenticator(config, store);
  return [{ path: choresApiPath, router: createChoresRouter({ store, queue, authenticate, logger }) }];
};

/**
 * Reconciles every installation's chores once, in the background: returns at once; the promise it
 * hands back settles with the report (never rejects). Does nothing when GitHub is off.
 */
export function startChoresReconcile(input: {
  config: LoomConfig;
  store: Store;
  queue: Queue;
  logger: Logger;
}): Promise<ReconcileAllChoresReport | undefined> {
  const github = input.config.github;
  if (github === undefined) return Promise.resolve(undefined);
  const run = async () => {
    const privateKey = github.privateKey ?? (await readFile(github.privateKeyPath as string, 'utf8'));
    const api = createOctokitChoresApi({
      appId: github.appId,
      privateKey,
      apiUrl: github.apiUrl,
      logger: input.logger,
    });
    return reconcileAllChores({ github: api, queue: input.queue, store: input.store, logger: input.logger });
  };
  return run().catch((error: unknown) => {
    input.logger.warn({ err: error }, 'chores: start-up reconcile failed; webhooks will sync later');
    return undefined;
  });
}
