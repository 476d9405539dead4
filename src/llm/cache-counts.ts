/**
 * The prompt-cache fields of a `Usage` (parts of its `input_tokens`), present only when non-zero:
 * most calls have none, and a usage without them reads as it always did.
 */
import type { Usage } from './llm-types.js';

export function cacheCounts(
  read: number | undefined,
  created: number | undefined,
): Pick<Usage, 'cache_read_input_tokens' | 'cache_creation_input_tokens'> {
  return {
    ...(read !== undefined && read > 0 ? { cache_read_input_tokens: read } : {}),
    ...(created !== undefined && created > 0 ? { cache_creation_input_tokens: created } : {}),
  };
}
