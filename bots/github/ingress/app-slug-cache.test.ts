import { describe, expect, it } from 'vitest';
import { createAppSlugCache } from './app-slug-cache.js';

function fetcher(answers: Array<string | Error>) {
  const calls = { count: 0 };
  const fetchSlug = async () => {
    const answer = answers[Math.min(calls.count, answers.length - 1)];
    calls.count += 1;
    if (answer instanceof Error) throw answer;
    return answer ?? '';
  };
  return { fetchSlug, calls };
}

describe('createAppSlugCache', () => {
  it('asks once and shares the answer with concurrent callers', async () => {
    const { fetchSlug, calls } = fetcher(['loom-bot']);
    const cache = createAppSlugCache({ fetchSlug });
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual([
      'loom-bot',
      'loom-bot',
      'loom-bot',
    ]);
    expect(await cache.get()).toBe('loom-bot');
    expect(calls.count).toBe(1);
  });

  it('asks again after the time to live, and keeps the old slug when that fails', async () => {
    let now = 0;
    const { fetchSlug, calls } = fetcher(['loom-bot', new Error('GitHub down'), 'loom-renamed']);
    const cache = createAppSlugCache({ fetchSlug, ttlMs: 1_000, now: () => now });
    expect(await cache.get()).toBe('loom-bot');
    now = 1_500;
    expect(await cache.get()).toBe('loom-bot');
    expect(await cache.get()).toBe('loom-renamed');
    expect(calls.count).toBe(3);
  });

  it('fails while it has never had a slug, then recovers', async () => {
    const { fetchSlug } = fetcher([new Error('GitHub down'), 'loom-bot']);
    const cache = createAppSlugCache({ fetchSlug });
    await expect(cache.get()).rejects.toThrow('GitHub down');
    expect(await cache.get()).toBe('loom-bot');
  });
});
