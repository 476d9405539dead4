import { describe, expect, it } from 'vitest';
import { LoomError } from '../errors/index.js';
import { runHealthChecks, type HealthCheck } from './health-check.js';

const up = (name: string, critical = true): HealthCheck => ({ name, critical, check: async () => {} });
const failing = (name: string, critical: boolean, error: unknown): HealthCheck => ({
  name,
  critical,
  check: async () => {
    throw error;
  },
});

describe('runHealthChecks', () => {
  it('reports ok with a latency per component when every check passes', async () => {
    const report = await runHealthChecks([up('store'), up('redis')]);
    expect(report.status).toBe('ok');
    expect(report.components.store).toMatchObject({ status: 'up' });
    expect(report.components.redis?.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('reports down when a critical check fails, with its reason', async () => {
    const error = new LoomError('dependency_unavailable', 'database is locked');
    const report = await runHealthChecks([up('redis'), failing('store', true, error)]);
    expect(report.status).toBe('down');
    expect(report.components.store).toMatchObject({
      status: 'down',
      error: 'dependency_unavailable: database is locked',
    });
  });

  it('reports degraded, not down, when only a non-critical check fails', async () => {
    const report = await runHealthChecks([up('store'), failing('slack', false, new Error('no socket'))]);
    expect(report.status).toBe('degraded');
  });

  it('gives up on a check that never settles once the timeout passes', async () => {
    let aborted = false;
    const hanging: HealthCheck = {
      name: 'redis',
      critical: true,
      check: (signal) =>
        new Promise<void>(() => {
          signal?.addEventListener('abort', () => (aborted = true));
        }),
    };
    const started = Date.now();
    const report = await runHealthChecks([hanging], 100);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(report.components.redis).toMatchObject({
      status: 'down',
      error: expect.stringContaining('timeout'),
    });
    expect(aborted).toBe(true);
  });

  it('never reports credentials that appear in an error message', async () => {
    const error = new Error('cannot connect to redis://:hunter2@cache:6379');
    const report = await runHealthChecks([failing('redis', true, error)]);
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });
});
