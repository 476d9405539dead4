/**
 * SQLite's two ways of applying an owner or repository filter to a search: a facet token in the FTS
 * match when few threads have that value, a check of each candidate's thread when many do. Both
 * must find exactly the threads that pass, on a real store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoomDatabase } from '../../src/store/database-schema.js';
import { openStore, type Store } from '../../src/store/index.js';
import { openSqliteConnection } from '../../src/store/sqlite/open-sqlite-connection.js';
import { sqliteFileName } from '../../src/store/sqlite/open-sqlite-database.js';
import { facetIsSmall, maxFacetThreads } from '../../src/store/sqlite/sqlite-search-facets.js';

describe('sqlite search: owner and repository filters, small and large', () => {
  let dataDir = '';
  let store: Store;
  const ids = { big: [] as string[], small: [] as string[] };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'loom-facets-'));
    store = await openStore({ dataDir });
    // One more thread than a facet may have, for `big`; `small` has three, one in another repository.
    for (let index = 0; index <= maxFacetThreads; index += 1) {
      const thread = await store.threads.create({
        title: index % 100 === 0 ? `deploy flake ${index}` : `chore ${index}`,
        owner: 'big',
        repository: 'acme/monorepo',
      });
      if (index % 100 === 0) ids.big.push(thread.id);
    }
    for (const repository of ['acme/monorepo', 'acme/api', 'acme/api']) {
      ids.small.push((await store.threads.create({ title: 'deploy flake', owner: 'small', repository })).id);
    }
  }, 120_000);
  afterAll(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('takes the facet for a value with few threads and the thread check for one with many', async () => {
    // A second connection to the same file, as another process would open it.
    const db = new Kysely<LoomDatabase>({
      dialect: new SqliteDialect({ database: openSqliteConnection(join(dataDir, sqliteFileName)) }),
    });
    try {
      expect(await facetIsSmall(db, 'owner', 'small')).toBe(true);
      expect(await facetIsSmall(db, 'repository', 'acme/api')).toBe(true);
      expect(await facetIsSmall(db, 'owner', 'big')).toBe(false);
      expect(await facetIsSmall(db, 'repository', 'acme/monorepo')).toBe(false);
    } finally {
      await db.destroy();
    }
  });

  it('finds exactly the passing threads either way, and combinations of both', async () => {
    const found = async (filters: Parameters<Store['threads']['search']>[1]) =>
      (await store.threads.search('flake', filters, { limit: 100 })).hits.map((hit) => hit.thread.id).sort();
    expect(await found({ owner: 'big' })).toEqual([...ids.big].sort());
    expect(await found({ owner: 'small' })).toEqual([...ids.small].sort());
    expect(await found({ repository: 'acme/api' })).toEqual(ids.small.slice(1).sort());
    expect(await found({ repository: 'acme/monorepo' })).toEqual([...ids.big, ids.small[0]!].sort());
    expect(await found({ repository: 'acme/monorepo', owner: 'small' })).toEqual([ids.small[0]]);
    expect(await found({ repository: 'acme/api', owner: 'big' })).toEqual([]);
    expect(await found({ owner: 'small', status: 'done' })).toEqual([]);
  });
});
