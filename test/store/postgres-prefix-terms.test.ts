/**
 * PostgreSQL prefix queries (migration 0010, expand-prefix-terms.ts): every written term enters the
 * vocabulary in the same transaction, a prefix is sent to the index as the terms it stands for, a
 * prefix of many terms keeps its `:*`, and LIKE's own characters in a prefix mean themselves.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoomDatabase } from '../../src/store/database-schema.js';
import { openStore, type Store } from '../../src/store/index.js';
import { expandPrefixTerms, maxExpansion } from '../../src/store/postgres/expand-prefix-terms.js';
import {
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  postgresReachable,
} from '../support/postgres-test-database.js';

const reachable = await postgresReachable();

describe.skipIf(!reachable && !process.env.CI)('postgres prefix terms', () => {
  let name = '';
  let store: Store;
  let client: pg.Client;
  let db: Kysely<LoomDatabase>;
  beforeAll(async () => {
    name = await createTestDatabase();
    store = await openStore({ dataDir: '', databaseUrl: databaseUrl(name) });
    client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    db = new Kysely({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(name) }) }),
    });
  });
  afterAll(async () => {
    await db?.destroy();
    await client?.end();
    await store?.close();
    if (name !== '') await dropTestDatabase(name);
  });

  const ids = async (query: string) => (await store.threads.search(query)).hits.map((hit) => hit.thread.id);

  it('writes each new term into the vocabulary with its document, and expands prefixes from it', async () => {
    const thread = await store.threads.create({
      title: 'vocabulary',
      owner: 'alice',
      messages: [{ role: 'user', content: 'quokkafoo quokkabar and commit 9f3a2c41d7 in src/main.ts' }],
    });
    const { rows } = await client.query<{ term: string }>(
      `select term from thread_search_terms where term like 'quokka%' order by term`,
    );
    expect(rows.map((row) => row.term)).toEqual(['quokkabar', 'quokkafoo']);
    expect(await ids('quokka*')).toEqual([thread.id]);
    expect(await ids('quokkab*')).toEqual([thread.id]);
    expect(await ids('9f3a2c4')).toEqual([thread.id]);
    expect(await ids('quokkaz*')).toEqual([]);
    // What the index is asked: the terms themselves, exact ones untouched; nothing for no term.
    expect(
      await expandPrefixTerms(db, [
        { text: 'quokka', prefix: true },
        { text: 'and', prefix: false },
      ]),
    ).toBe(`('quokkabar' | 'quokkafoo') & 'and'`);
    expect(await expandPrefixTerms(db, [{ text: 'quokkaz', prefix: true }])).toBeUndefined();
  });

  it('keeps `:*` for a prefix of more terms than it expands, and still finds them', async () => {
    const words = Array.from({ length: maxExpansion + 5 }, (_, index) => `manyterm${index}x`);
    const thread = await store.threads.create({
      title: 'many',
      owner: 'alice',
      messages: words.map((word) => ({ role: 'user' as const, content: word })),
    });
    expect(await expandPrefixTerms(db, [{ text: 'manyterm', prefix: true }])).toBe(`'manyterm':*`);
    expect(await ids('manyterm*')).toEqual([thread.id]);
    expect(await ids('manyterm3*')).toEqual([thread.id]);
  });

  it('reads % and _ in a prefix as themselves', async () => {
    const underscore = await store.threads.create({
      title: 'snake',
      owner: 'alice',
      messages: [{ role: 'user', content: 'set snake_case_flag here' }],
    });
    await store.threads.create({
      title: 'other',
      owner: 'alice',
      messages: [{ role: 'user', content: 'set snakeXcaseYflag here' }],
    });
    expect(await ids('snake_c*')).toEqual([underscore.id]);
  });

  it('lets concurrent writers of the same new terms all commit (no deadlock)', async () => {
    // In a ring: writer i's messages bring its own new terms, its title the next writer's. Terms
    // written per statement would lock writer i's terms, then wait for writer i+1's: a cycle.
    const writers = 8;
    const termsOf = (writer: number) =>
      Array.from({ length: 6 }, (_, index) => `racer${writer % writers}n${index}z`);
    for (let round = 0; round < 6; round += 1) {
      const created = await Promise.all(
        Array.from({ length: writers }, (_, writer) =>
          store.threads.create({
            title: `racer round ${round} ${termsOf(writer + 1).join(' ')}`,
            owner: 'alice',
            messages: [
              { role: 'user' as const, content: `${termsOf(writer).join(' ')} r${round}x${writer}` },
            ],
          }),
        ),
      );
      expect(created).toHaveLength(writers);
    }
    // Writer 3's terms: in its own messages and in writer 2's titles, each round.
    expect((await store.threads.search('racer3n*', {}, { limit: 50 })).hits).toHaveLength(12);
  });
});
