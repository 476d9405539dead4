/**
 * LOOM_MODEL_PRICES: a JSON file of prices for models the built-in table does not know, or knows at
 * another rate: a self-hosted model (Ollama, vLLM) that costs nothing, a negotiated discount. Without
 * it such a model is priced as the most expensive model of all, so budgets stop its runs far too
 * early. Shape, in USD per million tokens:
 *
 *   { "llama3.1:70b": { "input": 0, "output": 0 }, "openai/gpt-4.1": { "input": 1.6, "output": 6.4 } }
 *
 * plus, optionally, `cache_read` and `cache_write` (prompt-cache reads and writes; each defaults to
 * the entry's input price) and `cache_write_1h` (writes to Anthropic's one-hour cache; defaults to
 * `cache_write`).
 *
 * A `provider/` prefix is accepted and dropped, as model names are priced without it. The entries
 * override the built-in ones; everything else keeps its list price. Read once at start-up; a file
 * that cannot be read or does not have this shape is a configuration error naming what is wrong.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LoomError } from '../errors/index.js';
import { modelPrices, type ModelPrice } from './model-prices.js';

const usdPerMillionTokens = z.number().finite().nonnegative();
const priceFileSchema = z.record(
  z.string().min(1),
  z
    .object({
      input: usdPerMillionTokens,
      output: usdPerMillionTokens,
      cache_read: usdPerMillionTokens.optional(),
      cache_write: usdPerMillionTokens.optional(),
      cache_write_1h: usdPerMillionTokens.optional(),
    })
    .strict(),
);

/** The built-in table with the file's entries on top. */
export function readModelPricesFile(path: string): Readonly<Record<string, ModelPrice>> {
  const fail = (reason: string, cause?: unknown): never => {
    throw new LoomError('config_invalid', `LOOM_MODEL_PRICES (${path}): ${reason}`, { cause });
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`is not JSON: ${(error as Error).message}`, error);
  }
  const parsed = priceFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    fail(
      `${where === '' ? '' : `${where}: `}${issue?.message ?? 'invalid'} (expected {"model": {"input": USD, "output": USD}} per million tokens)`,
    );
  }
  const entries = Object.entries(parsed.data ?? {}).map(([model, price]): [string, ModelPrice] => [
    model.replace(/^(anthropic|openai)\//, ''),
    {
      inputUsdPerMillionTokens: price.input,
      outputUsdPerMillionTokens: price.output,
      ...(price.cache_read === undefined ? {} : { cacheReadUsdPerMillionTokens: price.cache_read }),
      ...(price.cache_write === undefined ? {} : { cacheWriteUsdPerMillionTokens: price.cache_write }),
      ...(price.cache_write_1h === undefined
        ? {}
        : { cacheWrite1hUsdPerMillionTokens: price.cache_write_1h }),
    },
  ]);
  return { ...modelPrices, ...Object.fromEntries(entries) };
}
