/**
 * Records one proxied call in the usage ledger and logs one line about it. The log line carries ids,
 * model, token counts, cost, latency and status: never a prompt, an answer, a key or a token.
 * A ledger failure is logged, not thrown: the caller already has its answer.
 */
import { cacheCounts, costOfUsage, type ModelPrice } from '../llm/index.js';
import type { Logger } from '../logging/index.js';
import type { AuthorizedCall } from './authorize-call.js';
import type { ProxyMetrics } from './proxy-metrics.js';
import type { ProxyRoute, UsageEvent, UsageLedger, UsageStatus } from './usage-ledger.js';

export interface CallOutcome {
  status: UsageStatus;
  httpStatus: number;
  inputTokens: number;
  outputTokens: number;
  /** Of `inputTokens`, read from and written to the prompt cache (priced apart). */
  cacheReadTokens?: number | undefined;
  cacheWriteTokens?: number | undefined;
  /** Of `cacheWriteTokens`, written to Anthropic's one-hour cache. */
  cacheWrite1hTokens?: number | undefined;
  errorCode?: string | undefined;
  attempts?: number | undefined;
}

export interface MeterDeps {
  usage: UsageLedger;
  logger: Logger;
  metrics?: ProxyMetrics | undefined;
  /** The price table (LOOM_MODEL_PRICES over the built-in one); default the built-in table. */
  prices?: Readonly<Record<string, ModelPrice>> | undefined;
  now?: () => number;
}

export async function meterCall(
  deps: MeterDeps,
  call: AuthorizedCall,
  route: ProxyRoute,
  startedAt: number,
  outcome: CallOutcome,
): Promise<UsageEvent> {
  const now = (deps.now ?? Date.now)();
  const event: UsageEvent = {
    at: new Date(now),
    subject: call.claims.sub,
    tokenId: call.claims.jti,
    jobId: call.claims.job,
    provider: call.provider,
    model: call.model,
    route,
    inputTokens: outcome.inputTokens,
    cacheReadTokens: outcome.cacheReadTokens ?? 0,
    cacheWriteTokens: outcome.cacheWriteTokens ?? 0,
    outputTokens: outcome.outputTokens,
    costUsd: costOfUsage(
      call.model,
      {
        input_tokens: outcome.inputTokens,
        output_tokens: outcome.outputTokens,
        ...cacheCounts(outcome.cacheReadTokens, outcome.cacheWriteTokens, outcome.cacheWrite1hTokens),
      },
      deps.prices,
    ),
    latencyMs: Math.max(0, now - startedAt),
    status: outcome.status,
    httpStatus: outcome.httpStatus,
    errorCode: outcome.errorCode,
  };
  deps.logger.info(logLine(event, outcome.attempts), 'proxy call');
  deps.metrics?.observe(event);
  try {
    await deps.usage.record(event);
  } catch (error) {
    deps.logger.error(
      { err: error, subject: event.subject, tokenId: event.tokenId },
      'recording proxy usage failed',
    );
  }
  return event;
}

/**
 * The event without its `at` (the line has its own time), plus the attempts. Written out field by
 * field rather than `{ ...fields, attempts }`: in Node 20's V8 such a spread copy, given a property of
 * its own, gets a hidden class of its own, which the scavenger keeps; this line alone was ~80 of the
 * ~300 KB each of the proxy's scavenges copied (see specs/proxy.md, "Spread copies").
 */
function logLine(
  event: UsageEvent,
  attempts: number | undefined,
): Omit<UsageEvent, 'at'> & {
  attempts: number | undefined;
} {
  return {
    subject: event.subject,
    tokenId: event.tokenId,
    jobId: event.jobId,
    provider: event.provider,
    model: event.model,
    route: event.route,
    inputTokens: event.inputTokens,
    cacheReadTokens: event.cacheReadTokens,
    cacheWriteTokens: event.cacheWriteTokens,
    outputTokens: event.outputTokens,
    costUsd: event.costUsd,
    latencyMs: event.latencyMs,
    status: event.status,
    httpStatus: event.httpStatus,
    errorCode: event.errorCode,
    attempts,
  };
}
