import { describe, expect, it } from 'vitest';
import { costOfUsage, modelPrices, priceOfModel } from './model-prices.js';

describe('priceOfModel', () => {
  it('prices known models and their dated snapshots alike', () => {
    expect(priceOfModel('claude-sonnet-4-5')).toEqual({
      inputUsdPerMillionTokens: 3,
      outputUsdPerMillionTokens: 15,
      cacheReadUsdPerMillionTokens: 0.3,
      cacheWriteUsdPerMillionTokens: 3.75,
      cacheWrite1hUsdPerMillionTokens: 6,
      known: true,
    });
    expect(priceOfModel('claude-sonnet-4-5-20250929')).toMatchObject({
      outputUsdPerMillionTokens: 15,
      known: true,
    });
    expect(priceOfModel('claude-haiku-4-5-20251001')).toMatchObject({
      inputUsdPerMillionTokens: 1,
      known: true,
    });
    expect(priceOfModel('gpt-4.1-2025-04-14')).toMatchObject({ inputUsdPerMillionTokens: 2, known: true });
  });

  it('does not take a smaller model for a snapshot of a bigger one', () => {
    expect(priceOfModel('gpt-4o-mini-2024-07-18')).toMatchObject({
      inputUsdPerMillionTokens: 0.15,
      known: true,
    });
    expect(priceOfModel('gpt-4.1-mini')).toMatchObject({ inputUsdPerMillionTokens: 0.4, known: true });
    expect(priceOfModel('gpt-5.4-mini-2026-03-17')).toMatchObject({
      inputUsdPerMillionTokens: 0.75,
      known: true,
    });
  });

  it('accepts a provider prefix', () => {
    expect(priceOfModel('anthropic/claude-opus-4-1')).toMatchObject({
      outputUsdPerMillionTokens: 75,
      known: true,
    });
    expect(priceOfModel('openai/gpt-4o')).toMatchObject({ outputUsdPerMillionTokens: 10, known: true });
  });

  it('prices an unknown model of a family like the most expensive of that family (fail safe)', () => {
    expect(priceOfModel('claude-sonnet-9')).toEqual({
      inputUsdPerMillionTokens: 15,
      outputUsdPerMillionTokens: 75,
      cacheReadUsdPerMillionTokens: 1.5,
      cacheWriteUsdPerMillionTokens: 18.75,
      cacheWrite1hUsdPerMillionTokens: 30,
      known: false,
    });
    // gpt-5.2-pro has no cached price in the table: its reads cost the full $21.
    expect(priceOfModel('gpt-7-turbo')).toEqual({
      inputUsdPerMillionTokens: 21,
      outputUsdPerMillionTokens: 168,
      cacheReadUsdPerMillionTokens: 21,
      cacheWriteUsdPerMillionTokens: 21,
      cacheWrite1hUsdPerMillionTokens: 21,
      known: false,
    });
    // A variant is not a snapshot: 'gpt-4o-audio-preview' is not priced as gpt-4o.
    expect(priceOfModel('gpt-4o-audio-preview').known).toBe(false);
  });

  it('prices a model of no known family like the most expensive model of all', () => {
    const all = Object.values(modelPrices);
    expect(priceOfModel('qwen3:8b')).toMatchObject({
      inputUsdPerMillionTokens: Math.max(...all.map((entry) => entry.inputUsdPerMillionTokens)),
      outputUsdPerMillionTokens: Math.max(...all.map((entry) => entry.outputUsdPerMillionTokens)),
      known: false,
    });
  });

  it('uses a caller-supplied table, e.g. a free local model', () => {
    const prices = {
      ...modelPrices,
      'qwen3:8b': { inputUsdPerMillionTokens: 0, outputUsdPerMillionTokens: 0 },
    };
    expect(priceOfModel('qwen3:8b', prices)).toMatchObject({ outputUsdPerMillionTokens: 0, known: true });
  });
});

describe('costOfUsage', () => {
  it("prices Anthropic's cache reads at a tenth of the input price and writes at 1.25 times", () => {
    // claude-sonnet-4-6, $3 input: 1M uncached $3 + 8M read $2.40 + 1M written $3.75, 0 output.
    const usage = {
      input_tokens: 10_000_000,
      output_tokens: 0,
      cache_read_input_tokens: 8_000_000,
      cache_creation_input_tokens: 1_000_000,
    };
    expect(costOfUsage('claude-sonnet-4-6', usage)).toBeCloseTo(9.15, 10);
    // Without the breakdown the same input cost $30: what metering charged before.
    expect(costOfUsage('claude-sonnet-4-6', { input_tokens: 10_000_000, output_tokens: 0 })).toBeCloseTo(
      30,
      10,
    );
  });

  it("prices Anthropic's one-hour cache writes at twice the input price", () => {
    // claude-sonnet-4-6, $3 input: of 2M written, 0.5M for five minutes $1.875 + 1.5M for an hour $9.
    const usage = {
      input_tokens: 2_000_000,
      output_tokens: 0,
      cache_creation_input_tokens: 2_000_000,
      cache_creation_1h_input_tokens: 1_500_000,
    };
    expect(costOfUsage('claude-sonnet-4-6', usage)).toBeCloseTo(10.875, 10);
    // More one-hour writes than writes in all: only the writes count.
    expect(
      costOfUsage('claude-sonnet-4-6', { ...usage, cache_creation_1h_input_tokens: 9_000_000 }),
    ).toBeCloseTo(12, 10);
  });

  it("prices OpenAI's cached input at the model's cached price, or at full price when unknown", () => {
    const usage = { input_tokens: 1_000_000, output_tokens: 0, cache_read_input_tokens: 1_000_000 };
    expect(costOfUsage('gpt-4.1', usage)).toBeCloseTo(0.5, 10);
    expect(costOfUsage('gpt-5.2-pro', usage)).toBeCloseTo(21, 10);
    expect(costOfUsage('gpt-5.4', usage)).toBeCloseTo(0.25, 10);
    expect(costOfUsage('gpt-5.4-mini', usage)).toBeCloseTo(0.075, 10);
    expect(costOfUsage('gpt-5.2', usage)).toBeCloseTo(0.175, 10);
  });

  it('never counts more cached tokens than there was input', () => {
    const usage = { input_tokens: 100, output_tokens: 0, cache_read_input_tokens: 1_000_000 };
    expect(costOfUsage('claude-sonnet-4-6', usage)).toBeCloseTo((100 * 0.3) / 1_000_000, 12);
  });

  it('charges input and output tokens at their own rates', () => {
    // 2M input at $3 + 0.5M output at $15 = $6 + $7.50
    expect(costOfUsage('claude-sonnet-4-5', { input_tokens: 2_000_000, output_tokens: 500_000 })).toBeCloseTo(
      13.5,
      10,
    );
    expect(costOfUsage('gpt-4o-mini', { input_tokens: 1000, output_tokens: 1000 })).toBeCloseTo(0.00075, 10);
    expect(costOfUsage('gpt-4.1', { input_tokens: 0, output_tokens: 0 })).toBe(0);
  });
});
