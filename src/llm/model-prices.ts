import type { Usage } from './llm-types.js';

export interface ModelPrice {
  /** USD per million input tokens. */
  inputUsdPerMillionTokens: number;
  /** USD per million output tokens. */
  outputUsdPerMillionTokens: number;
  /** USD per million input tokens read from the prompt cache; unset: the input price. */
  cacheReadUsdPerMillionTokens?: number;
  /** USD per million input tokens written to the prompt cache; unset: the input price. */
  cacheWriteUsdPerMillionTokens?: number;
  /** USD per million input tokens written to Anthropic's one-hour cache; unset: the cache write price. */
  cacheWrite1hUsdPerMillionTokens?: number;
}

const price = (input: number, output: number): ModelPrice => ({
  inputUsdPerMillionTokens: input,
  outputUsdPerMillionTokens: output,
});

/**
 * Anthropic prices its prompt cache the same way for every model: a read costs a tenth of the input
 * price, a write to the five-minute cache a quarter more, a write to the one-hour cache twice the
 * input price.
 */
const claude = (input: number, output: number): ModelPrice => ({
  inputUsdPerMillionTokens: input,
  outputUsdPerMillionTokens: output,
  cacheReadUsdPerMillionTokens: input / 10,
  cacheWriteUsdPerMillionTokens: input * 1.25,
  cacheWrite1hUsdPerMillionTokens: input * 2,
});

/** OpenAI caches on its own and charges nothing to write; a cached read has a price per model. */
const gpt = (input: number, output: number, cachedInput: number): ModelPrice => ({
  inputUsdPerMillionTokens: input,
  outputUsdPerMillionTokens: output,
  cacheReadUsdPerMillionTokens: cachedInput,
});

/**
 * List prices in USD per million tokens (standard tier, no batch discounts), from the providers'
 * pricing pages as of November 2026, with prompt-cache prices: Anthropic's for every model, OpenAI's
 * cached input for every model that has one (the pro models have none: full input price). Keys are model names without a date suffix: `claude-sonnet-4-5-20250929`
 * and `gpt-4.1-2025-04-14` are priced as `claude-sonnet-4-5` and `gpt-4.1`.
 */
export const modelPrices: Readonly<Record<string, ModelPrice>> = {
  // Anthropic
  'claude-fable-5-1': claude(10, 50),
  'claude-opus-5-5': claude(4, 20),
  'claude-opus-5': claude(5, 25),
  'claude-sonnet-5-5': claude(2, 10),
  'claude-sonnet-5': claude(2, 10),
  'claude-opus-4-8': claude(5, 25),
  'claude-opus-4-7': claude(5, 25),
  'claude-opus-4-6': claude(5, 25),
  'claude-opus-4-5': claude(5, 25),
  'claude-opus-4-1': claude(15, 75),
  'claude-opus-4-0': claude(15, 75),
  'claude-opus-4': claude(15, 75),
  'claude-sonnet-4-6': claude(3, 15),
  'claude-sonnet-4-5': claude(3, 15),
  'claude-sonnet-4-0': claude(3, 15),
  'claude-sonnet-4': claude(3, 15),
  'claude-3-7-sonnet': claude(3, 15),
  'claude-haiku-4-5': claude(1, 5),
  'claude-3-5-haiku': claude(0.8, 4),
  // OpenAI. The pro models are listed so they are never underpriced; they also set the family's
  // fallback price. They have no cached-input price: a cached token costs the full input price.
  'gpt-5.4': gpt(2.5, 15, 0.25),
  'gpt-5.4-mini': gpt(0.75, 4.5, 0.075),
  'gpt-5.2': gpt(1.75, 14, 0.175),
  'gpt-5.2-pro': price(21, 168),
  'gpt-5.1': gpt(1.25, 10, 0.125),
  'gpt-5-pro': price(15, 120),
  'gpt-5': gpt(1.25, 10, 0.125),
  'gpt-5-mini': gpt(0.25, 2, 0.025),
  'gpt-5-nano': gpt(0.05, 0.4, 0.005),
  'gpt-4.1': gpt(2, 8, 0.5),
  'gpt-4.1-mini': gpt(0.4, 1.6, 0.1),
  'gpt-4.1-nano': gpt(0.1, 0.4, 0.025),
  'gpt-4o': gpt(2.5, 10, 1.25),
  'gpt-4o-mini': gpt(0.15, 0.6, 0.075),
  o1: gpt(15, 60, 7.5),
  o3: gpt(2, 8, 0.5),
  'o3-mini': gpt(1.1, 4.4, 0.55),
  'o4-mini': gpt(1.1, 4.4, 0.275),
};

export interface ResolvedModelPrice extends ModelPrice {
  /** False when the model is not in the table and the fail-safe fallback price applies. */
  known: boolean;
}

/** `-20250929` (Anthropic), `-2025-04-14` (OpenAI), `-latest`: snapshots priced as their model. */
const snapshotSuffix = /^-(\d{8}|\d{4}-\d{2}-\d{2}|latest)$/;

/**
 * The price of a model. Unknown models cost as much as the most expensive model of their family
 * (`claude-*` → Anthropic; `gpt-*`, `o1`/`o3`/`o4*`, `chatgpt-*`, `codex-*` → OpenAI), and models of no
 * known family (self-hosted ones behind an OpenAI-compatible URL) as the most expensive model of
 * all: a budget may then stop a run too early, but never too late. Add a model to a copy of the table
 * and pass it in to price it for real.
 */
export function priceOfModel(
  model: string,
  prices: Readonly<Record<string, ModelPrice>> = modelPrices,
): ResolvedModelPrice {
  const name = model.replace(/^(anthropic|openai)\//, '');
  const exact = prices[name] ?? snapshotOf(name, prices);
  // `known` first: a spread copy given a property afterwards outlives V8's young generation (specs/proxy.md).
  if (exact !== undefined) return { known: true, ...exact };
  const family = familyOf(name);
  const candidates = Object.entries(prices)
    .filter(([key]) => family === undefined || familyOf(key) === family)
    .map(([, entry]) => entry);
  return { known: false, ...mostExpensive(candidates.length > 0 ? candidates : Object.values(prices)) };
}

/** Cost in USD of one model call's usage. */
export function costOfUsage(
  model: string,
  usage: Usage,
  prices: Readonly<Record<string, ModelPrice>> = modelPrices,
): number {
  const entry = priceOfModel(model, prices);
  const input = entry.inputUsdPerMillionTokens;
  const read = Math.min(usage.cache_read_input_tokens ?? 0, usage.input_tokens);
  const written = Math.min(usage.cache_creation_input_tokens ?? 0, usage.input_tokens - read);
  const writtenForAnHour = Math.min(usage.cache_creation_1h_input_tokens ?? 0, written);
  const uncached = usage.input_tokens - read - written;
  const write = entry.cacheWriteUsdPerMillionTokens ?? input;
  return (
    (uncached * input +
      read * (entry.cacheReadUsdPerMillionTokens ?? input) +
      (written - writtenForAnHour) * write +
      writtenForAnHour * (entry.cacheWrite1hUsdPerMillionTokens ?? write) +
      usage.output_tokens * entry.outputUsdPerMillionTokens) /
    1_000_000
  );
}

function snapshotOf(name: string, prices: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  // Longest key first, so `gpt-4o-mini-2024-07-18` is not taken for a `gpt-4o` snapshot.
  const keys = Object.keys(prices).sort((a, b) => b.length - a.length);
  const key = keys.find(
    (candidate) => name.startsWith(candidate) && snapshotSuffix.test(name.slice(candidate.length)),
  );
  return key === undefined ? undefined : prices[key];
}

function familyOf(name: string): 'anthropic' | 'openai' | undefined {
  if (name.startsWith('claude-')) return 'anthropic';
  if (/^(gpt-|chatgpt-|codex-|o[134](-|$))/.test(name)) return 'openai';
  return undefined;
}

/** Component-wise maximum: at least as expensive as every candidate, on input and on output. */
function mostExpensive(candidates: ModelPrice[]): ModelPrice {
  const highest = (of: (entry: ModelPrice) => number): number => Math.max(0, ...candidates.map(of));
  return {
    inputUsdPerMillionTokens: highest((entry) => entry.inputUsdPerMillionTokens),
    outputUsdPerMillionTokens: highest((entry) => entry.outputUsdPerMillionTokens),
    cacheReadUsdPerMillionTokens: highest(
      (entry) => entry.cacheReadUsdPerMillionTokens ?? entry.inputUsdPerMillionTokens,
    ),
    cacheWriteUsdPerMillionTokens: highest(
      (entry) => entry.cacheWriteUsdPerMillionTokens ?? entry.inputUsdPerMillionTokens,
    ),
    cacheWrite1hUsdPerMillionTokens: highest(
      (entry) =>
        entry.cacheWrite1hUsdPerMillionTokens ??
        entry.cacheWriteUsdPerMillionTokens ??
        entry.inputUsdPerMillionTokens,
    ),
  };
}
