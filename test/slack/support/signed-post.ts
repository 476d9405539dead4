/**
 * Sends a signed request to the Slack endpoint with node:http, so tests can send exactly the headers
 * they want (duplicates included, which `fetch` would merge).
 */
import { request } from 'node:http';
import { signSlackRequest } from '../../../bots/slack/index.js';

export const signingSecret = 'test-signing-secret-0123456789abcdef';

export interface SignedPostOptions {
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Overrides the computed signature. */
  signature?: string;
  contentType?: string;
  /** Extra raw header pairs, repeated names allowed. */
  extraHeaders?: Array<[string, string]>;
  /** Replaces the signature and timestamp headers entirely. */
  headers?: Array<[string, string]>;
  retryNum?: number;
}

export interface PostResult {
  status: number;
  body: string;
  elapsedMs: number;
}

export function signedHeaders(
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Array<[string, string]> {
  return [
    ['x-slack-request-timestamp', String(timestamp)],
    ['x-slack-signature', signSlackRequest(signingSecret, timestamp, body)],
  ];
}

export function postSlack(
  url: string,
  payload: unknown,
  options: SignedPostOptions = {},
): Promise<PostResult> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Array<[string, string]> = options.headers ?? [
    ['x-slack-request-timestamp', String(timestamp)],
    ['x-slack-signature', options.signature ?? signSlackRequest(signingSecret, timestamp, body)],
  ];
  headers.push(['content-type', options.contentType ?? 'application/json']);
  headers.push(['content-length', String(Buffer.byteLength(body))]);
  headers.push(['user-agent', 'Slackbot 1.0 (+https://api.slack.com/robots)']);
  if (options.retryNum !== undefined) {
    headers.push(['x-slack-retry-num', String(options.retryNum)], ['x-slack-retry-reason', 'http_timeout']);
  }
  headers.push(...(options.extraHeaders ?? []));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${url}/slack/events`,
      { method: 'POST', headers: groupHeaders(headers) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            elapsedMs: performance.now() - started,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Header pairs as node:http wants them: a repeated name becomes an array (sent as repeated lines). */
function groupHeaders(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const grouped: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const existing = grouped[name];
    grouped[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return grouped;
}
