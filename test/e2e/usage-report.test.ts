/**
 * Who spent what, tried as a new user would: `loom start` with a provider key, two people calling
 * models through the proxy with their own tokens, then `GET /api/usage` and `loom usage` (against
 * the server, and against the data directory). An admin sees everyone; alice only herself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicKey, startFakeProvider, type FakeProvider } from '../proxy/support/fake-provider.js';
import { waitFor } from '../queue/support/wait-for.js';
import { startLoomService, type LoomService } from './support/loom-service.js';

let provider: FakeProvider | undefined;
let loom: LoomService | undefined;
afterEach(async () => {
  await loom?.stop();
  await provider?.close();
  loom = undefined;
  provider = undefined;
});

async function mint(service: LoomService, subject: string): Promise<string> {
  const minted = await service.cli(['token', 'create', '--subject', subject]);
  if (minted.code !== 0) throw new Error(`loom token create failed: ${minted.stderr}`);
  return minted.stdout.trim().split('\n').pop() ?? '';
}

async function usage(service: LoomService, token: string | undefined, query = ''): Promise<Response> {
  return fetch(`${service.url}/api/usage${query}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe('the usage report', () => {
  it('tells an admin who spent what, and each user only their own spending', async () => {
    provider = await startFakeProvider();
    loom = await startLoomService({
      LOOM_JWT_SECRET: 'usage-e2e-jwt-secret-0123456789abcdef-0123456789',
      ANTHROPIC_API_KEY: anthropicKey,
      ANTHROPIC_BASE_URL: provider.url,
    });
    const service = loom;
    const alice = await mint(service, 'alice');
    const bob = await mint(service, 'bob');
    const admin = await service.adminToken();
    const call = (token: string) =>
      fetch(`${service.url}/proxy/anthropic/v1/messages`, {
        method: 'POST',
        headers: {
          'x-api-key': token,
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
        },
        body: JSON.stringify({
          model: 'claude-sonnet-4-6',
          max_tokens: 50,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
    for (const token of [alice, alice, bob]) expect((await call(token)).status).toBe(200);

    expect((await usage(service, undefined)).status).toBe(401);
    // Metering is batched: wait until the admin's report holds all three calls.
    const everyone = await waitFor(
      async () => {
        const answer = (await (await usage(service, admin)).json()) as { total: { calls: number } };
        return answer.total.calls === 3 ? answer : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200, what: 'three metered calls' },
    );
    expect(everyone).toMatchObject({
      by: 'subject',
      rows: [
        { key: 'alice', calls: 2 },
        { key: 'bob', calls: 1 },
      ],
    });

    const own = (await (await usage(service, alice, '?by=model')).json()) as Record<string, unknown>;
    expect(own).toMatchObject({ subject: 'alice', rows: [{ key: 'anthropic/claude-sonnet-4-6', calls: 2 }] });
    expect((await usage(service, alice, '?subject=bob')).status).toBe(403);
    const invalid = await usage(service, admin, '?since=yesterday');
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(await invalid.json())).toMatch(/since must be a duration/);

    const remote = await service.cli(['usage', '--by', 'subject'], {
      LOOM_SERVER_URL: service.url,
      LOOM_TOKEN: admin,
    });
    expect(remote.code, remote.stderr).toBe(0);
    expect(remote.stdout).toMatch(/^alice\s+2\s+0\s+\d+\s+0\s+0\s+\d+\s+\$\d+\.\d{4}$/m);
    expect(remote.stdout).toMatch(/^total\s+3\s+0\s/m);
    const mine = await service.cli(['usage', '--json', '--subject', 'bob'], {
      LOOM_SERVER_URL: service.url,
      LOOM_TOKEN: alice,
    });
    expect(mine.code).not.toBe(0);
    expect(mine.stderr).toMatch(/only an admin token reads another subject's usage/);

    // Without LOOM_SERVER_URL: the data directory's own store, as the operator sees it.
    const local = await service.cli(['usage', '--json', '--by', 'job']);
    expect(local.code, local.stderr).toBe(0);
    expect(JSON.parse(local.stdout)).toMatchObject({
      by: 'job',
      total: { calls: 3 },
      rows: [{ key: '-', calls: 3 }],
    });
    const bad = await service.cli(['usage', '--since', 'last week']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/since must be a duration/);
  }, 120_000);
});
