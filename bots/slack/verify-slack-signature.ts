/**
 * Slack request signatures (`X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">`),
 * verified more strictly than bolt-js does (RELIABILITY 8): timestamps too far in the future are
 * refused as well as stale ones, a header sent twice is refused, only `v0=` followed by exactly 64
 * lower-case hex digits is a signature, and the comparison runs in constant time on every path.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's own replay window: five minutes either way. */
export const slackTimestampToleranceSeconds = 300;

export interface SlackSignatureInput {
  signingSecret: string;
  /** The body exactly as received, before any parsing. */
  rawBody: Buffer;
  /** Every value of `X-Slack-Request-Timestamp` in the request (more than one is refused). */
  timestamps: readonly string[];
  /** Every value of `X-Slack-Signature` in the request (more than one is refused). */
  signatures: readonly string[];
  nowSeconds: number;
  toleranceSeconds?: number;
}

export type SlackSignatureFailure =
  | 'missing_header'
  | 'duplicate_header'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature_format'
  | 'signature_mismatch';

export type SlackSignatureVerdict = { ok: true } | { ok: false; reason: SlackSignatureFailure };

const signatureFormat = /^v0=[0-9a-f]{64}$/;
const timestampFormat = /^[0-9]{1,12}$/;

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` (for senders: tests and benchmarks). */
export function signSlackRequest(
  signingSecret: string,
  timestamp: string | number,
  rawBody: Buffer | string,
): string {
  return `v0=${slackDigest(signingSecret, String(timestamp), rawBody).toString('hex')}`;
}

function slackDigest(signingSecret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest();
}

/** Checks one request; never throws. */
export function verifySlackSignature(input: SlackSignatureInput): SlackSignatureVerdict {
  if (input.timestamps.length === 0 || input.signatures.length === 0) {
    return { ok: false, reason: 'missing_header' };
  }
  if (input.timestamps.length > 1 || input.signatures.length > 1) {
    return { ok: false, reason: 'duplicate_header' };
  }
  const timestamp = input.timestamps[0] as string;
  const signature = input.signatures[0] as string;
  if (!timestampFormat.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const tolerance = input.toleranceSeconds ?? slackTimestampToleranceSeconds;
  const skew = input.nowSeconds - Number(timestamp);
  if (skew > tolerance) return { ok: false, reason: 'stale_timestamp' };
  if (skew < -tolerance) return { ok: false, reason: 'future_timestamp' };

  // The digest is computed and compared whether or not the header is well formed, so the time taken
  // does not tell a forger how far a guess got.
  const expected = slackDigest(input.signingSecret, timestamp, input.rawBody);
  const wellFormed = signatureFormat.test(signature);
  const given = wellFormed ? Buffer.from(signature.slice(3), 'hex') : Buffer.alloc(expected.length);
  const matches = timingSafeEqual(given, expected);
  if (!wellFormed) return { ok: false, reason: 'bad_signature_format' };
  return matches ? { ok: true } : { ok: false, reason: 'signature_mismatch' };
}
