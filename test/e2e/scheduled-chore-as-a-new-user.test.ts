/**
 * A chore on its schedule, tried as a new user would: `.loom/chores.yml` with an every-minute chore,
 * the real `loom start` child process (environment only) against the loopback GitHub-compatible host
 * and model server, and nobody asking: within about a minute the scheduler's run opens the chore's
 * one PR, and `loom chores list` shows that run's result. Scheduled runs have their own job ids
 * (BullMQ's `repeat:{schedulerId}:{millis}`), unlike manual runs, so this path needs its own test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lastToolCall } from '../github/support/engineer-script.js';
import { hostedFile } from '../github/support/hosted-repository.js';
import {
  startScriptedAnthropicServer,
  type ScriptedAnthropicServer,
} from '../github/support/scripted-anthropic-server.js';
import { testAppId, testAppKeys } from '../github/support/worker-deps.js';
import { anthropicKey } from '../proxy/support/fake-provider.js';
import { waitFor } from '../queue/support/wait-for.js';
import { startGithubHost, type GithubHost } from './support/github-host.js';
import { startLoomService, type LoomService } from './support/loom-service.js';

const owner = 'acme';
const repo = 'ticker';
const repository = `${owner}/${repo}`;
const choresFile = `chores:
  - name: tick
    schedule: '* * * * *'
    prompt: Write TICK.md.
`;

let host: GithubHost | undefined;
let model: ScriptedAnthropicServer | undefined;
let loom: LoomService | undefined;

afterEach(async () => {
  await loom?.stop();
  await model?.close();
  await host?.close();
  loom = undefined;
  model = undefined;
  host = undefined;
});

describe('a scheduled chore, as a new user', () => {
  it('runs on its schedule into the PR from loom/chore-tick, and the listing shows the run', async () => {
    const keys = testAppKeys();
    host = await startGithubHost({
      owner,
      repo,
      files: { 'README.md': '# ticker\n', '.loom/chores.yml': choresFile },
      appId: testAppId,
      appPublicKey: keys.publicKey,
    });
    model = await startScriptedAnthropicServer({
      apiKey: anthropicKey,
      script: (request) =>
        lastToolCall(request) === undefined
          ? { tools: [{ name: 'write_file', input: { path: 'TICK.md', content: 'tick\n' } }] }
          : { text: 'Wrote TICK.md.' },
    });
    loom = await startLoomService({
      APP_ID: String(testAppId),
      PRIVATE_KEY: keys.privateKey,
      WEBHOOK_SECRET: 'e2e-webhook-secret-for-schedules',
      GHE_HOST: host.host,
      GHE_PROTOCOL: 'http',
      ANTHROPIC_API_KEY: anthropicKey,
      ANTHROPIC_BASE_URL: model.url,
    });
    const service = loom;
    const gh = host;
    const token = await service.adminToken();

    // The next minute boundary fires the chore; its run ends done, with the chore's PR.
    const lastRun = await waitFor(
      async () => {
        const response = await fetch(`${service.url}/api/chores?repository=${repository}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (response.status !== 200) return undefined;
        const { chores } = (await response.json()) as {
          chores: Array<{ lastRun?: { status: string; trigger?: string } }>;
        };
        const run = chores[0]?.lastRun;
        return run !== undefined && run.status !== 'running' && run.status !== 'queued' ? run : undefined;
      },
      { timeoutMs: 110_000, intervalMs: 500, what: 'a scheduled run to end' },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${service.output()}`);
    });
    expect(lastRun.status, service.output()).toBe('done');
    expect(gh.fake.github.pulls).toHaveLength(1);
    expect(gh.fake.github.pulls[0]).toMatchObject({ head: 'loom/chore-tick', base: 'main' });
    expect(await hostedFile(gh.git.root, owner, repo, 'loom/chore-tick', 'TICK.md')).toBe('tick\n');

    const listed = await service.cli(['chores', 'list', repository], {
      LOOM_SERVER_URL: service.url,
      LOOM_TOKEN: token,
    });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/acme\/ticker tick .*next \d{4}-.*last done/);
  }, 180_000);
});
