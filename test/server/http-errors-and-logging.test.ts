import express, { Router } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { LoomError } from '../../src/errors/index.js';
import {
  createHttpApp,
  createMetrics,
  startHttpServer,
  type RunningHttpServer,
} from '../../src/server/index.js';
import { captureLogger } from './support/capture-logger.js';

const servers: RunningHttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close(1_000);
});

function exampleRouter(): Router {
  const router = Router();
  router.get('/forbidden', () => {
    throw new LoomError('forbidden', 'You may not do that here', { details: { action: 'merge' } });
  });
  router.get('/broken', async () => {
    throw new Error('SQLITE_CORRUPT at /srv/loom/loom.sqlite');
  });
  // Each router parses its own body, with its own limit.
  router.post('/echo', express.json({ limit: '1kb' }), (req, res) => {
    res.json({ received: req.body as unknown });
  });
  return router;
}

async function serve(): Promise<{ server: RunningHttpServer; logLines: () => Record<string, unknown>[] }> {
  const { logger, lines } = captureLogger();
  const app = createHttpApp({
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: [],
    integrations: {},
    routes: [{ path: '/api/example', router: exampleRouter() }],
  });
  const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  servers.push(server);
  return { server, logLines: lines };
}

describe('HTTP errors', () => {
  it('answers an unknown route with a 404 JSON error', async () => {
    const { server } = await serve();
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'No route for GET /nope' },
    });
  });

  it('maps a LoomError to its status and JSON body', async () => {
    const { server } = await serve();
    const response = await fetch(`${server.url}/api/example/forbidden`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: 'forbidden', message: 'You may not do that here', details: { action: 'merge' } },
    });
  });

  it('answers anything else with a 500 JSON error that reveals neither message nor stack, and logs it', async () => {
    const { server, logLines } = await serve();
    const response = await fetch(`${server.url}/api/example/broken`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'Internal server error' } });
    expect(text).not.toContain('SQLITE_CORRUPT');
    const logged = logLines().find((line) => line.msg === 'request failed');
    expect(JSON.stringify(logged)).toContain('SQLITE_CORRUPT');
  });

  it('maps a body over the router limit to 413 and malformed JSON to 400', async () => {
    const { server } = await serve();
    const post = (body: string): Promise<Response> =>
      fetch(`${server.url}/api/example/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const tooLarge = await post(JSON.stringify({ text: 'x'.repeat(2_000) }));
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const malformed = await post('{"text": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_input' } });
    const fine = await post('{"text":"hi"}');
    expect(await fine.json()).toEqual({ received: { text: 'hi' } });
  });

  it('does not parse bodies of routes that did not ask for it', async () => {
    const { server } = await serve();
    const response = await fetch(`${server.url}/healthz`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(response.status).toBe(404);
  });
});

describe('request logging', () => {
  it('logs method, route template, status and duration, but no headers, query or body', async () => {
    const { server, logLines } = await serve();
    await fetch(`${server.url}/api/example/echo?token=query-secret`, {
      method: 'POST',
      headers: { authorization: 'Bearer header-secret', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'body-secret' }),
    });
    const line = logLines().find(
      (entry) => entry.msg === 'http request' && entry.route === '/api/example/echo',
    );
    expect(line).toMatchObject({ method: 'POST', path: '/api/example/echo', status: 200 });
    expect(line?.duration_ms).toEqual(expect.any(Number));
    const everything = JSON.stringify(logLines());
    for (const secret of ['query-secret', 'header-secret', 'body-secret'])
      expect(everything).not.toContain(secret);
  });

  it('logs probes and scrapes at debug level only', async () => {
    const { server, logLines } = await serve();
    await fetch(`${server.url}/healthz`);
    const line = logLines().find((entry) => entry.msg === 'http request' && entry.route === '/healthz');
    expect(line?.level).toBe(20);
  });
});
