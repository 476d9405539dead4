import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWebhookSecrets, verifyWebhookSignature } from './verify-webhook-signature.js';

const secret = "It's a Secret to Everybody";
const body = 'Hello, World!';
const githubVector = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

function hmac(key: string, text: string, algorithm = 'sha256'): string {
  return createHmac(algorithm, key).update(text).digest('hex');
}

describe('verifyWebhookSignature', () => {
  it("accepts GitHub's documented test vector", async () => {
    expect(`sha256=${hmac(secret, body)}`).toBe(githubVector);
    expect(await verifyWebhookSignature([secret], body, githubVector)).toBe(true);
  });

  it.each([
    ['a missing signature', undefined],
    ['an empty signature', ''],
    ['the sha1= prefix with a valid SHA-1 HMAC', `sha1=${hmac(secret, body, 'sha1')}`],
    ['an upper-case prefix', githubVector.replace('sha256=', 'SHA256=')],
    ['no prefix', githubVector.slice('sha256='.length)],
    ['non-hex digits', `sha256=${'z'.repeat(64)}`],
    ['a 31-byte digest', githubVector.slice(0, -2)],
    ['a 33-byte digest', `${githubVector}00`],
    ['one flipped digit', `${githubVector.slice(0, -1)}6`],
    ['the signature of another body', `sha256=${hmac(secret, 'Hello, World?')}`],
    ['the signature under another secret', `sha256=${hmac('another secret', body)}`],
  ])('rejects %s', async (_case, signature) => {
    expect(await verifyWebhookSignature([secret], body, signature)).toBe(false);
  });

  it('rejects a body re-serialized by a JSON parser (the signature covers the exact bytes)', async () => {
    const original = '{"action":"created",  "number":1}';
    const signature = `sha256=${hmac(secret, original)}`;
    expect(await verifyWebhookSignature([secret], original, signature)).toBe(true);
    expect(await verifyWebhookSignature([secret], JSON.stringify(JSON.parse(original)), signature)).toBe(
      false,
    );
  });

  it('rejects everything when no secret is configured and an empty body', async () => {
    expect(await verifyWebhookSignature([], body, githubVector)).toBe(false);
    expect(await verifyWebhookSignature([secret], '', `sha256=${hmac(secret, '')}`)).toBe(false);
  });

  it('accepts the previous secret during a rotation overlap, and not after it', async () => {
    const oldSignature = `sha256=${hmac(secret, body)}`;
    const newSignature = `sha256=${hmac('new secret', body)}`;
    expect(await verifyWebhookSignature(['new secret', secret], body, oldSignature)).toBe(true);
    expect(await verifyWebhookSignature(['new secret', secret], body, newSignature)).toBe(true);
    expect(await verifyWebhookSignature(['new secret'], body, oldSignature)).toBe(false);
  });
});

describe('parseWebhookSecrets', () => {
  it('reads one secret, or the current and previous ones separated by a comma', () => {
    expect(parseWebhookSecrets(secret)).toEqual([secret]);
    expect(parseWebhookSecrets(' new-one , old-one ')).toEqual(['new-one', 'old-one']);
    expect(parseWebhookSecrets('only,,')).toEqual(['only']);
  });
});
