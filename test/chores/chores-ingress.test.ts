/**
 * Webhooks that change chores: a push to the default branch touching `.loom/chores.yml` and
 * installation changes become one `chores-sync` job per delivery, acknowledged at once.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIngress, type IngressHarness } from '../github/support/github-ingress-harness.js';
import { exampleEvent } from '../github/support/payloads.js';

let harness: IngressHarness;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  harness = await startIngress();
});
afterAll(async () => {
  await harness.cleanup();
  nock.enableNetConnect();
});
afterEach(() => nock.cleanAll());

function push(overrides: { ref?: string; files?: string[] }) {
  const fixture = exampleEvent('push');
  const payload = fixture.payload as Record<string, unknown> & {
    repository: { full_name: string; default_branch: string };
  };
  payload.ref = overrides.ref ?? `refs/heads/${payload.repository.default_branch}`;
  payload.after = 'b'.repeat(40);
  payload.deleted = false;
  payload.installation = { id: 321 };
  payload.commits = [{ id: 'c1', added: [], removed: [], modified: overrides.files ?? ['.loom/chores.yml'] }];
  return fixture;
}

describe('chores webhooks', () => {
  it('a push to the default branch that touched .loom/chores.yml enqueues one chores-sync job', async () => {
    const fixture = push({});
    const result = await harness.post(fixture);
    expect(result).toMatchObject({ status: 202, body: { status: 'enqueued' } });
    const job = await harness.job(result.deliveryId);
    const fullName = (fixture.payload as { repository: { full_name: string } }).repository.full_name;
    expect(job?.name).toBe('chores-sync');
    expect(job?.data).toMatchObject({
      installationId: 321,
      mode: 'sync',
      repositories: [fullName],
      headSha: 'b'.repeat(40),
    });
    expect((await harness.post(fixture, { deliveryId: result.deliveryId })).body).toMatchObject({
      status: 'duplicate',
    });
  });

  it('ignores pushes to other branches and pushes that did not touch the file', async () => {
    expect((await harness.post(push({ ref: 'refs/heads/feature' }))).body).toMatchObject({
      status: 'ignored',
    });
    expect((await harness.post(push({ files: ['README.md'] }))).body).toMatchObject({ status: 'ignored' });
  });

  it('installation and installation_repositories events sync or unschedule', async () => {
    const created = await harness.post(exampleEvent('installation', 'created'));
    expect(created.status).toBe(202);
    expect((await harness.job(created.deliveryId))?.data).toMatchObject({ mode: 'sync' });
    const removed = await harness.post(exampleEvent('installation_repositories', 'removed'));
    expect(removed.status).toBe(202);
    expect((await harness.job(removed.deliveryId))?.data).toMatchObject({ mode: 'remove' });
  });
});
