/**
 * RELIABILITY 1, 2, 3 and 7 through the real route: a forged, malformed or unsigned delivery is
 * refused with 4xx before anything is parsed, recorded or enqueued.
 */
import { createHmac } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  gheApiUrl,
  mockGetApp,
  signBody,
  startIngress,
  testWebhookSecret,
  type IngressHarness,
  type PostResult,
} from './support/github-ingress-harness.js';
import { issueCommentCreated } from './support/payloads.js';

const harnesses: IngressHarness[] = [];
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.cleanup()));
  nock.cleanAll();
});

async function ingress(env: Record<string, string> = {}): Promise<IngressHarness> {
  const harness = await startIngress({ env });
  harnesses.push(harness);
  return harness;
}

const trigger = () => issueCommentCreated({ body: '@loom-bot please fix the flaky test' });

async function expectNothingRecorded(harness: IngressHarness, result: PostResult): Promise<void> {
  expect(await harness.store.requests.get(result.deliveryId)).toBeUndefined();
  expect(await harness.job(result.deliveryId)).toBeUndefined();
  expect(await harness.jobCount()).toBe(0);
}

describe('GitHub webhook signatures (RELIABILITY 1, 2)', () => {
  it("accepts GitHub's test vector through the route's verifier (then refuses the non-JSON body)", async () => {
    const harness = await ingress();
    const vector = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const passed = await harness.post(trigger(), { body: 'Hello, World!', signature: vector });
    expect(passed.status).toBe(400);
    expect(passed.body).toEqual({
      error: { code: 'invalid_input', message: 'the payload is not a JSON object' },
    });
    const forged = await harness.post(trigger(), { body: 'Hello, World?', signature: vector });
    expect(forged.status).toBe(401);
  });

  it('accepts a correctly signed trigger (the control for the cases below)', async () => {
    const getApp = mockGetApp(gheApiUrl);
    const harness = await ingress();
    const result = await harness.post(trigger());
    expect(result.status).toBe(202);
    expect(await harness.job(result.deliveryId)).toBeDefined();
    expect(getApp.isDone()).toBe(true);
  });

  const fixture = trigger();
  const body = JSON.stringify(fixture.payload);
  const digest = createHmac('sha256', testWebhookSecret).update(body).digest('hex');
  it.each([
    ['a missing X-Hub-Signature-256', null],
    ['the sha1= prefix', `sha1=${createHmac('sha1', testWebhookSecret).update(body).digest('hex')}`],
    ['non-hex digits', `sha256=${'g'.repeat(64)}`],
    ['a 31-byte digest', `sha256=${digest.slice(0, 62)}`],
    ['a 33-byte digest', `sha256=${digest}ab`],
    ['the signature of another body', signBody(testWebhookSecret, `${body} `)],
    ['a signature under another secret', signBody('not the secret', body)],
  ])('refuses %s with 401, records nothing and never asks GitHub', async (_case, signature) => {
    const getApp = mockGetApp(gheApiUrl);
    const harness = await ingress();
    const result = await harness.post(fixture, { body, signature });
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({ error: { code: 'unauthorized' } });
    await expectNothingRecorded(harness, result);
    expect(getApp.isDone()).toBe(false);
  });

  it('refuses a body re-serialized by a JSON parser after signing', async () => {
    const harness = await ingress();
    const original = JSON.stringify(fixture.payload, null, 2);
    const result = await harness.post(fixture, {
      body: JSON.stringify(JSON.parse(original)),
      signature: signBody(testWebhookSecret, original),
    });
    expect(result.status).toBe(401);
    await expectNothingRecorded(harness, result);
  });
});

describe('GitHub webhook headers (RELIABILITY 3)', () => {
  it.each([
    ['a text/plain content type', { 'content-type': 'text/plain' }, 415],
    ['a form-encoded content type', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
    ['no content type', { 'content-type': null }, 415],
    ['a missing X-GitHub-Event', { 'x-github-event': null }, 400],
    ['a missing X-GitHub-Delivery', { 'x-github-delivery': null }, 400],
    ['a blank X-GitHub-Delivery', { 'x-github-delivery': '  ' }, 400],
  ])('refuses a validly signed trigger with %s (%i), records nothing', async (_case, headers, status) => {
    const harness = await ingress();
    const result = await harness.post(trigger(), { headers });
    expect(result.status).toBe(status);
    await expectNothingRecorded(harness, result);
  });
});

describe('webhook secret rotation (RELIABILITY 7)', () => {
  it('accepts the old and the new secret during the overlap, only the new one after it', async () => {
    mockGetApp(gheApiUrl);
    const overlap = await ingress({ WEBHOOK_SECRET: `new-secret-2026, ${testWebhookSecret}` });
    const oldDuringOverlap = await overlap.post(trigger(), { secret: testWebhookSecret });
    const newDuringOverlap = await overlap.post(trigger(), { secret: 'new-secret-2026' });
    expect([oldDuringOverlap.status, newDuringOverlap.status]).toEqual([202, 202]);
    expect(await overlap.job(oldDuringOverlap.deliveryId)).toBeDefined();
    expect(await overlap.job(newDuringOverlap.deliveryId)).toBeDefined();

    mockGetApp(gheApiUrl);
    const after = await ingress({ WEBHOOK_SECRET: 'new-secret-2026' });
    const oldAfter = await after.post(trigger(), { secret: testWebhookSecret });
    expect(oldAfter.status).toBe(401);
    await expectNothingRecorded(after, oldAfter);
    const newAfter = await after.post(trigger(), { secret: 'new-secret-2026' });
    expect(newAfter.status).toBe(202);
  });
});
