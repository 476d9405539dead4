import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costOfUsage, modelPrices } from './model-prices.js';
import { readModelPricesFile } from './read-model-prices-file.js';

describe('readModelPricesFile (LOOM_MODEL_PRICES)', () => {
  let dir: string;
  const file = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-prices-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds and overrides prices over the built-in table, dropping a provider prefix', async () => {
    const prices = readModelPricesFile(
      await file(
        'prices.json',
        JSON.stringify({
          'llama3.1:70b': { input: 0, output: 0 },
          'openai/gpt-4.1': { input: 1.6, output: 6.4 },
        }),
      ),
    );
    const usage = { input_tokens: 1_000_000, output_tokens: 1_000_000 };
    expect(costOfUsage('llama3.1:70b', usage, prices)).toBe(0);
    expect(costOfUsage('openai/llama3.1:70b', usage, prices)).toBe(0);
    expect(costOfUsage('gpt-4.1', usage, prices)).toBeCloseTo(8, 10);
    expect(prices['claude-sonnet-4-6']).toEqual(modelPrices['claude-sonnet-4-6']);
    // Without the file the self-hosted model costs as much as the most expensive model of all.
    expect(costOfUsage('llama3.1:70b', usage)).toBeGreaterThanOrEqual(60);
  });

  it("takes prompt-cache prices, which default to the entry's input price", async () => {
    const prices = readModelPricesFile(
      await file(
        'cache-prices.json',
        JSON.stringify({
          discounted: { input: 2, output: 8, cache_read: 0.2, cache_write: 2.5 },
          plain: { input: 2, output: 8 },
        }),
      ),
    );
    const usage = {
      input_tokens: 3_000_000,
      output_tokens: 0,
      cache_read_input_tokens: 1_000_000,
      cache_creation_input_tokens: 1_000_000,
    };
    expect(costOfUsage('discounted', usage, prices)).toBeCloseTo(2 + 0.2 + 2.5, 10);
    expect(costOfUsage('plain', usage, prices)).toBeCloseTo(6, 10);
  });

  it('takes a one-hour cache write price, which defaults to the cache write price', async () => {
    const prices = readModelPricesFile(
      await file(
        'one-hour-prices.json',
        JSON.stringify({
          hourly: { input: 2, output: 8, cache_write: 2.5, cache_write_1h: 4 },
          'five-minute-only': { input: 2, output: 8, cache_write: 2.5 },
        }),
      ),
    );
    const usage = {
      input_tokens: 1_000_000,
      output_tokens: 0,
      cache_creation_input_tokens: 1_000_000,
      cache_creation_1h_input_tokens: 1_000_000,
    };
    expect(costOfUsage('hourly', usage, prices)).toBeCloseTo(4, 10);
    expect(costOfUsage('five-minute-only', usage, prices)).toBeCloseTo(2.5, 10);
  });

  it('refuses a file it cannot use, naming the variable, the file and what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"llama3": {"input": 0, "output": 0}', /LOOM_MODEL_PRICES \(.*broken\.json\): is not JSON/],
      ['{"llama3": {"input": -1, "output": 0}}', /llama3\.input: .*(>=|greater|non-?negative)/i],
      ['{"llama3": {"input": 0}}', /llama3\.output/],
      ['{"llama3": {"input": 0, "output": 0, "cached": 0}}', /llama3: .*cached/i],
      ['{"llama3": {"input": "0.1", "output": 0}}', /llama3\.input: .*number/i],
      ['[1, 2]', /expected \{"model"/],
    ];
    for (const [text, message] of cases) {
      const path = await file('broken.json', text);
      expect(() => readModelPricesFile(path), text).toThrow(message);
    }
    expect(() => readModelPricesFile(join(dir, 'missing.json'))).toThrow(
      /LOOM_MODEL_PRICES \(.*missing\.json\): cannot be read \(ENOENT\)/,
    );
  });
});
