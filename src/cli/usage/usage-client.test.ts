/**
 * `loom usage` against a server: the answer of a server from before the prompt-cache counts still
 * reads (as uncached), and the server's refusals come back as its own error codes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LoomError } from '../../errors/index.js';
import { fetchUsageReport } from './usage-client.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  server = undefined;
});

/** A loopback server that answers every request with `status` and `body`, as a Loom server would. */
async function answering(status: number, body: unknown): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const counts = { calls: 2, failedCalls: 0, inputTokens: 300, outputTokens: 20, costUsd: 0.01 };

describe('fetchUsageReport', () => {
  it("reads an older server's answer, without cache counts, as uncached", async () => {
    const url = await answering(200, {
      since: '2026-11-20T00:00:00.000Z',
      until: '2026-11-27T00:00:00.000Z',
      by: 'subject',
      rows: [{ key: 'alice', ...counts }],
      total: counts,
    });
    const answer = await fetchUsageReport({ url, token: 't' }, {});
    expect(answer.rows).toEqual([{ key: 'alice', ...counts, cacheReadTokens: 0, cacheWriteTokens: 0 }]);
    expect(answer.total).toMatchObject({ cacheReadTokens: 0, cacheWriteTokens: 0 });
  });

  it("turns the server's refusal into a LoomError with its code, and a strange answer into upstream_rejected", async () => {
    const refused = await answering(403, {
      error: { code: 'forbidden', message: "only an admin token reads another subject's usage" },
    });
    const error = await fetchUsageReport({ url: refused, token: 't' }, { subject: 'bob' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(LoomError);
    expect(error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('only an admin') });
    await new Promise((resolve) => server?.close(resolve));
    const strange = await answering(200, { rows: 'none' });
    await expect(fetchUsageReport({ url: strange, token: 't' }, {})).rejects.toMatchObject({
      code: 'upstream_rejected',
    });
  });
});
