/**
 * Direct routes: served before express when method and path match exactly, observed like express
 * routes (histogram label, access log line), a throwing handler answered with a JSON 500; anything
 * else reaches the express app untouched.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/index.js';
import {
  createHttpApp,
  createMetrics,
  startHttpServer,
  withDirectRoutes,
  type DirectRoute,
  type RunningHttpServer,
} from '../../src/server/index.js';

const servers: RunningHttpServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close(1_000);
});

async function serve(direct: DirectRoute[]) {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'));
        callback();
      },
    }),
  });
  const metrics = createMetrics({ defaultMetrics: false });
  const app = createHttpApp({ logger, metrics, healthChecks: [], integrations: {} });
  const server = await startHttpServer(withDirectRoutes(direct, app, { logger, metrics }), {
    port: 0,
    host: '127.0.0.1',
  });
  servers.push(server);
  return { server, lines, metrics };
}

const echo: DirectRoute = {
  method: 'POST',
  path: '/fast/echo',
  async handle(request, response) {
    response.setHeader('content-type', 'text/plain');
    response.end(`direct ${request.url}`);
  },
};

describe('withDirectRoutes', () => {
  it('serves an exact method and path match directly, query string included', async () => {
    const { server } = await serve([echo]);
    const response = await fetch(`${server.url}/fast/echo?x=1`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('direct /fast/echo?x=1');
  });

  it('leaves other methods and paths to express', async () => {
    const { server } = await serve([echo]);
    const get = await fetch(`${server.url}/fast/echo`);
    expect(get.status).toBe(404);
    expect(await get.json()).toMatchObject({ error: { code: 'not_found' } });
    const longer = await fetch(`${server.url}/fast/echo/more`, { method: 'POST' });
    expect(longer.status).toBe(404);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('observes direct requests like express ones: histogram by route template and a log line', async () => {
    const { server, lines, metrics } = await serve([echo]);
    await (await fetch(`${server.url}/fast/echo?secret=abc`, { method: 'POST' })).text();
    await expect
      .poll(async () => metrics.registry.metrics())
      .toMatch(
        /loom_http_request_duration_seconds_count\{method="POST",route="\/fast\/echo",status="200"\} 1/,
      );
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: 'http request', route: '/fast/echo', path: '/fast/echo', status: 200 }),
    );
    expect(lines.join('')).not.toContain('secret=abc');
  });

  it('logs the access line at debug for a route that logs its requests itself', async () => {
    const { server, lines } = await serve([{ ...echo, logsItself: true }]);
    await (await fetch(`${server.url}/fast/echo`, { method: 'POST' })).text();
    await expect.poll(() => lines.length).toBeGreaterThan(0);
    const access = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'http request');
    expect(access).toMatchObject({ level: 20, route: '/fast/echo' });
  });

  it('answers a handler that throws with a JSON 500 and keeps serving', async () => {
    const broken: DirectRoute = {
      method: 'POST',
      path: '/fast/broken',
      handle: async () => {
        throw new Error('boom');
      },
    };
    const { server, lines } = await serve([broken, echo]);
    const response = await fetch(`${server.url}/fast/broken`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(lines.join('')).toContain('direct route failed');
    expect((await fetch(`${server.url}/fast/echo`, { method: 'POST' })).status).toBe(200);
  });
});
