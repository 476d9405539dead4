import type { IncomingHttpHeaders } from 'node:http';

/** What a fake provider received: headers and parsed JSON body. */
export interface CapturedRequest {
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** Parses a request body as nock hands it to a reply function (string or already-parsed object). */
export function parseBody(body: unknown): Record<string, unknown> {
  return (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>;
}
