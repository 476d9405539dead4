/** A chores test's world: a queue harness (real Redis, SQLite store), a fake GitHub, the Octokit chores API. */
import nock from 'nock';
import { createOctokitChoresApi, type ChoresGithubApi } from '../../../bots/github/chores/index.js';
import { createSilentLogger } from '../../../src/logging/index.js';
import { testAppKeys } from '../../github/support/worker-deps.js';
import { createQueueHarness, type QueueHarness } from '../../queue/support/queue-harness.js';
import { ChoresFakeGithub, choresApiUrl } from './chores-fake-github.js';

export interface ChoresWorld {
  harness: QueueHarness;
  fake: ChoresFakeGithub;
  api: ChoresGithubApi;
  cleanup(): Promise<void>;
}

export const installationId = 77;

export async function createChoresWorld(prefix: string): Promise<ChoresWorld> {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  const keys = testAppKeys();
  const harness = await createQueueHarness(prefix);
  const fake = new ChoresFakeGithub({
    owner: 'acme',
    repo: 'web',
    appId: 4711,
    appPublicKey: keys.publicKey,
    installationId,
  });
  fake.mountWithNock();
  const api = createOctokitChoresApi({
    appId: '4711',
    privateKey: keys.privateKey,
    apiUrl: choresApiUrl,
    logger: createSilentLogger(),
    throttle: false,
    retry: false,
  });
  return {
    harness,
    fake,
    api,
    async cleanup() {
      nock.cleanAll();
      nock.enableNetConnect();
      await harness.cleanup();
    },
  };
}
