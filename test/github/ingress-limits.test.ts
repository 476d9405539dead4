/**
 * RELIABILITY 4: a body over the size cap or one that trickles in (slow loris) is refused at the
 * cap, quickly, without being recorded or enqueued, and the connection is closed.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  signBody,
  startIngress,
  testWebhookSecret,
  webhookHeaders,
  type IngressHarness,
} from './support/github-ingress-harness.js';
import { issueCommentCreated } from './support/payloads.js';

const mebibyte = 1024 * 1024;
/** 26 MiB: above GitHub's own 25 MB payload cap, whichever way "MB" is read. */
const oversized = 26 * mebibyte;

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

async function ingress(bodyTimeoutMs?: number): Promise<IngressHarness> {
  const harness = await startIngress({
    routeOptions: bodyTimeoutMs === undefined ? {} : { bodyLimits: { timeoutMs: bodyTimeoutMs } },
  });
  harnesses.push(harness);
  return harness;
}

function headersFor(deliveryId: string, signature: string): Record<string, string> {
  return webhookHeaders(issueCommentCreated(), deliveryId, signature);
}

/**
 * Streams `totalBytes` in 1 MiB chunks, with or without a Content-Length, and resolves as soon as
 * the answer's headers arrive (with how long that took), whether or not the body was all sent.
 */
function postLarge(
  url: string,
  deliveryId: string,
  totalBytes: number,
  declareLength: boolean,
): Promise<{ status: number; elapsedMs: number }> {
  // The size is refused before the signature is looked at, so any well-formed one will do.
  const headers = {
    ...headersFor(deliveryId, `sha256=${'0'.repeat(64)}`),
    ...(declareLength ? { 'content-length': String(totalBytes) } : {}),
  };
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const outgoing = request(`${url}/api/github/webhooks`, { method: 'POST', headers });
    outgoing.on('response', (response) => {
      resolve({ status: response.statusCode ?? 0, elapsedMs: performance.now() - startedAt });
      response.resume();
    });
    // Writing on after the server has answered and closed fails; the answer is what counts.
    outgoing.on('error', (error) => setTimeout(() => reject(error), 1_000).unref());
    const chunk = Buffer.alloc(mebibyte, '{');
    let sent = 0;
    const write = () => {
      while (sent < totalBytes && !outgoing.destroyed) {
        sent += chunk.length;
        if (!outgoing.write(chunk)) return void outgoing.once('drain', write);
      }
      outgoing.end();
    };
    write();
  });
}

describe('GitHub webhook body caps (RELIABILITY 4)', () => {
  it('refuses a declared 26 MiB body with 413 before reading it', async () => {
    const harness = await ingress();
    const deliveryId = crypto.randomUUID();
    const answer = await postLarge(harness.url, deliveryId, oversized, true);
    expect(answer.status).toBe(413);
    expect(answer.elapsedMs).toBeLessThan(1_000);
    expect(await harness.store.requests.get(deliveryId)).toBeUndefined();
    expect(await harness.jobCount()).toBe(0);
  });

  it('refuses a streamed 26 MiB body (no Content-Length) with 413 once it passes the cap', async () => {
    const harness = await ingress();
    const deliveryId = crypto.randomUUID();
    const answer = await postLarge(harness.url, deliveryId, oversized, false);
    expect(answer.status).toBe(413);
    expect(answer.elapsedMs).toBeLessThan(5_000);
    expect(await harness.store.requests.get(deliveryId)).toBeUndefined();
    expect(await harness.jobCount()).toBe(0);
  });

  it('answers a slow-loris body with 408 at the time cap and closes the connection', async () => {
    const harness = await ingress(300);
    const deliveryId = crypto.randomUUID();
    const { port } = new URL(harness.url);
    const socket = connect(Number(port), '127.0.0.1');
    const head = Object.entries({
      ...headersFor(deliveryId, signBody(testWebhookSecret, 'x')),
      'content-length': '5000',
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST /api/github/webhooks HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n{"a":`);
    const drip = setInterval(() => socket.writable && socket.write(' '), 50);
    const startedAt = performance.now();
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    clearInterval(drip);
    const elapsedMs = performance.now() - startedAt;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(received.toLowerCase()).toContain('connection: close');
    expect(elapsedMs).toBeGreaterThanOrEqual(250);
    expect(elapsedMs).toBeLessThan(2_000);
    expect(await harness.store.requests.get(deliveryId)).toBeUndefined();
  });
});
