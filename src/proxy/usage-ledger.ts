/**
 * The metering port: one event per proxied model call, and the spend so far of a token or subject.
 * The store implements it for SQLite and PostgreSQL; the in-memory ledger serves tests and a
 * store-less proxy.
 */

export type ProxyProvider = 'anthropic' | 'openai';

/** Which door the call came through: Loom's normalized routes or a provider's own wire format. */
export type ProxyRoute =
  | 'complete'
  | 'stream'
  | 'anthropic_messages'
  | 'anthropic_count_tokens'
  | 'openai_chat_completions'
  | 'openai_responses';

export type UsageStatus = 'ok' | 'error' | 'cancelled';

export interface UsageEvent {
  at: Date;
  subject: string;
  /** The token's `jti`: budgets are per token. */
  tokenId: string;
  jobId: string | undefined;
  provider: ProxyProvider;
  model: string;
  route: ProxyRoute;
  inputTokens: number;
  /** Of `inputTokens`, read from and written to the provider's prompt cache (priced apart). */
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  costUsd: number;
  /** From the request reaching the proxy to the last byte sent back. */
  latencyMs: number;
  status: UsageStatus;
  /** The HTTP status the caller saw (200 for a stream that later failed). */
  httpStatus: number;
  /** LoomError code or provider error type, when the call failed. */
  errorCode: string | undefined;
}

export type SpendScope = { tokenId: string } | { subject: string };

export interface UsageLedger {
  record(event: UsageEvent): Promise<void>;
  /** Sum of `costUsd` over the scope's events. */
  spentUsd(scope: SpendScope): Promise<number>;
}

export interface MemoryUsageLedger extends UsageLedger {
  readonly events: readonly UsageEvent[];
}

export function createMemoryUsageLedger(): MemoryUsageLedger {
  const events: UsageEvent[] = [];
  return {
    events,
    async record(event) {
      events.push(event);
    },
    async spentUsd(scope) {
      const matches = (event: UsageEvent): boolean =>
        'tokenId' in scope ? event.tokenId === scope.tokenId : event.subject === scope.subject;
      return events.filter(matches).reduce((sum, event) => sum + event.costUsd, 0);
    },
  };
}
