/**
 * The app's slug (`GET /app`), needed to recognize `@{app-slug}`. Asked once and cached; refreshed
 * after `ttlMs` in case the app was renamed, and a failed refresh keeps the last known slug so a
 * GitHub hiccup does not stop the ingress. Concurrent callers share one request.
 */
export interface AppSlugCache {
  /** The slug; rejects only when it has never been fetched successfully and fetching fails now. */
  get(): Promise<string>;
}

export interface AppSlugCacheOptions {
  fetchSlug: () => Promise<string>;
  /** How long a slug is trusted before it is asked again (default one hour). */
  ttlMs?: number;
  now?: () => number;
}

export function createAppSlugCache(options: AppSlugCacheOptions): AppSlugCache {
  const ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  let cached: { slug: string; fetchedAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  const refresh = (): Promise<string> => {
    inFlight ??= options
      .fetchSlug()
      .then((slug) => {
        cached = { slug, fetchedAt: now() };
        return slug;
      })
      .catch((error: unknown) => {
        if (cached !== undefined) return cached.slug;
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    get: () =>
      cached !== undefined && now() - cached.fetchedAt < ttlMs ? Promise.resolve(cached.slug) : refresh(),
  };
}
