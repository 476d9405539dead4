/**
 * The prompt-cache fields of a `Usage` (parts of its `input_tokens`), present only when non-zero:
 * most calls have none, and a usage without them reads as it always did.
 */
import type { Usage } from './llm-types.js';

export type CacheCounts = Pick<
  Usage,
  'cache_read_input_tokens' | 'cache_creation_input_tokens' | 'cache_creation_1h_input_tokens'
>;

export function cacheCounts(
  read: number | undefined,
  created: number | undefined,
  createdForAnHour?: number | undefined,
): CacheCounts {
  // Set one by one rather than spread together: a spread copy given more properties afterwards
  // outlives V8's young generation, and the proxy meters every call with this.
  const counts: CacheCounts = {};
  if (read !== undefined && read > 0) counts.cache_read_input_tokens = read;
  if (created !== undefined && created > 0) counts.cache_creation_input_tokens = created;
  if (createdForAnHour !== undefined && createdForAnHour > 0) {
    counts.cache_creation_1h_input_tokens = createdForAnHour;
  }
  return counts;
}

/**
 * The one-hour part of Anthropic's cache writes, from `usage.cache_creation` (`{ephemeral_5m_input_tokens,
 * ephemeral_1h_input_tokens}`); absent from older API versions and from `message_delta`.
 */
export function oneHourCacheWrites(usage: Record<string, unknown>): number | undefined {
  const breakdown = usage.cache_creation;
  if (typeof breakdown !== 'object' || breakdown === null) return undefined;
  const tokens = (breakdown as Record<string, unknown>).ephemeral_1h_input_tokens;
  return typeof tokens === 'number' && Number.isFinite(tokens) && tokens >= 0 ? tokens : undefined;
}
