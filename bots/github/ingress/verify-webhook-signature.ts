/**
 * Webhook signature checks with the verifier Probot and @octokit/webhooks use themselves
 * (`@octokit/webhooks-methods`: HMAC-SHA256 over the exact body, compared in constant time), plus
 * secret rotation: during an overlap the sender may sign with the new secret or the old one.
 */
import { verifyWithFallback } from '@octokit/webhooks-methods';

/**
 * The webhook secrets from `WEBHOOK_SECRET`: one secret, or during a rotation `new,old` (the first
 * is the current one; Probot is given it). Entries are trimmed and empty ones dropped, so a secret
 * itself must not contain a comma.
 */
export function parseWebhookSecrets(value: string): string[] {
  return value
    .split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret !== '');
}

/**
 * True when `signature` (the `X-Hub-Signature-256` header, `sha256=<64 hex>`) is the HMAC of `body`
 * under one of `secrets`. Any malformed input (missing, `sha1=`, wrong length, empty body) is false.
 */
export async function verifyWebhookSignature(
  secrets: readonly string[],
  body: string,
  signature: string | undefined,
): Promise<boolean> {
  const [current, ...previous] = secrets;
  if (current === undefined || signature === undefined || signature === '' || body === '') return false;
  try {
    return (await verifyWithFallback(current, body, signature, previous)) === true;
  } catch {
    // The library throws (TypeError) on inputs it refuses outright; for us they are just invalid.
    return false;
  }
}
