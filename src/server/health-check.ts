/**
 * Health checks: each component (store, Redis, ...) contributes one check; `runHealthChecks` runs them
 * in parallel, each bounded by a timeout, and folds the results into the `/healthz` report.
 */
import { isLoomError } from '../errors/index.js';
import { redactUrlCredentials } from './redact-url-credentials.js';
import { withTimeout } from './with-timeout.js';

export interface HealthCheck {
  /** Component name in the report, e.g. `store`, `redis`. */
  name: string;
  /** A failed critical check makes the whole service `down` (HTTP 503); others only `degraded`. */
  critical: boolean;
  /** Resolves when the component answers; the signal fires when the check's time is up. */
  check(signal?: AbortSignal): Promise<void>;
}

export type ComponentHealth =
  { status: 'up'; latency_ms: number } | { status: 'down'; latency_ms: number; error: string };

export interface HealthReport {
  /** `down`: a critical component failed; `degraded`: only non-critical ones did. */
  status: 'ok' | 'degraded' | 'down';
  components: Record<string, ComponentHealth>;
}

/** Default per-check budget: short enough for a probe, long enough for a remote database. */
export const defaultHealthCheckTimeoutMs = 1_000;

const maxErrorLength = 300;

export async function runHealthChecks(
  checks: readonly HealthCheck[],
  timeoutMs: number = defaultHealthCheckTimeoutMs,
): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async (healthCheck) => ({ healthCheck, health: await runOne(healthCheck, timeoutMs) })),
  );
  const components: Record<string, ComponentHealth> = {};
  let status: HealthReport['status'] = 'ok';
  for (const { healthCheck, health } of results) {
    components[healthCheck.name] = health;
    if (health.status === 'up') continue;
    if (healthCheck.critical) status = 'down';
    else if (status === 'ok') status = 'degraded';
  }
  return { status, components };
}

async function runOne(healthCheck: HealthCheck, timeoutMs: number): Promise<ComponentHealth> {
  const started = performance.now();
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
  try {
    await withTimeout((signal) => healthCheck.check(signal), timeoutMs, healthCheck.name);
    return { status: 'up', latency_ms: elapsed() };
  } catch (error) {
    return { status: 'down', latency_ms: elapsed(), error: describeFailure(error) };
  }
}

/** A short, secret-free reason: the report is served to anyone who can reach `/healthz`. */
function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = isLoomError(error) ? `${error.code}: ` : '';
  const text = redactUrlCredentials(`${prefix}${message}`.replace(/\s+/g, ' ').trim());
  return text.length > maxErrorLength ? `${text.slice(0, maxErrorLength)}…` : text;
}
