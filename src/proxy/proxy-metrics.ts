/**
 * Prometheus counters of the proxy's model calls, on the server's registry (served at `/metrics`):
 *
 *   loom_proxy_calls_total{provider, route, status}        every metered call (status ok|error|cancelled)
 *   loom_proxy_tokens_total{provider, model, direction}    tokens in (input) and out (output)
 *   loom_proxy_cache_tokens_total{provider, model, kind}   of the input, read from (read) and
 *                                                          written to (write) the prompt cache
 *   loom_proxy_cost_usd_total{provider, model}             spend, from the repository's price table
 *
 * The model label is only set from calls that used tokens: a caller may send any model name, and
 * only a model the provider actually ran bills tokens, so the label's values stay the provider's few
 * models instead of whatever callers typed. Per-subject spend is in `usage_events`, not here
 * (subjects are unbounded).
 */
import { Counter, type Registry } from 'prom-client';
import type { UsageEvent } from './usage-ledger.js';

export interface ProxyMetrics {
  observe(event: UsageEvent): void;
}

export function createProxyMetrics(registry: Registry): ProxyMetrics {
  const calls = new Counter({
    name: 'loom_proxy_calls_total',
    help: 'LLM proxy calls by provider, route and outcome',
    labelNames: ['provider', 'route', 'status'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'loom_proxy_tokens_total',
    help: 'Tokens through the LLM proxy by provider, model and direction (input, output)',
    labelNames: ['provider', 'model', 'direction'] as const,
    registers: [registry],
  });
  // Apart from the tokens counter: they are parts of its input, and summing its directions must
  // stay the tokens that went through.
  const cacheTokens = new Counter({
    name: 'loom_proxy_cache_tokens_total',
    help: 'Input tokens through the LLM proxy read from (read) or written to (write) the prompt cache',
    labelNames: ['provider', 'model', 'kind'] as const,
    registers: [registry],
  });
  const cost = new Counter({
    name: 'loom_proxy_cost_usd_total',
    help: 'Spend through the LLM proxy in US dollars, by provider and model',
    labelNames: ['provider', 'model'] as const,
    registers: [registry],
  });
  return {
    observe(event) {
      calls.inc({ provider: event.provider, route: event.route, status: event.status });
      if (event.inputTokens + event.outputTokens === 0) return;
      // Label objects written out, not `{ ...model, direction }`: see specs/proxy.md, "Spread copies".
      const { provider, model } = event;
      tokens.inc({ provider, model, direction: 'input' }, event.inputTokens);
      tokens.inc({ provider, model, direction: 'output' }, event.outputTokens);
      if (event.cacheReadTokens > 0) {
        cacheTokens.inc({ provider, model, kind: 'read' }, event.cacheReadTokens);
      }
      if (event.cacheWriteTokens > 0) {
        cacheTokens.inc({ provider, model, kind: 'write' }, event.cacheWriteTokens);
      }
      if (event.costUsd > 0) cost.inc({ provider, model }, event.costUsd);
    },
  };
}
