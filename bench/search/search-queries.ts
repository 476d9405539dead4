/** The query mix of the search benchmark, drawn from the corpus so that every class has matches. */
import type { ThreadFilters } from '../../src/threads/index.js';
import { createRandom, type SearchCorpus } from './search-corpus.js';

export interface BenchQuery {
  kind: string;
  text: string;
  filters: ThreadFilters;
}

export const queryKinds = [
  'rare word',
  'medium word',
  'frequent word',
  'two words',
  'file path',
  'branch',
  'commit SHA prefix',
  'word prefix*',
  'word + repository',
  'word + status + source',
] as const;

export function createBenchQueries(corpus: SearchCorpus, count: number, seed = 7): BenchQuery[] {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const rank = (from: number, to: number): string =>
    corpus.words[from + Math.floor(random() * (to - from))] as string;
  const make: Record<(typeof queryKinds)[number], () => BenchQuery> = {
    'rare word': () => ({ kind: 'rare word', text: rank(3000, 30_000), filters: {} }),
    'medium word': () => ({ kind: 'medium word', text: rank(300, 3000), filters: {} }),
    'frequent word': () => ({ kind: 'frequent word', text: rank(20, 300), filters: {} }),
    'two words': () => ({ kind: 'two words', text: `${rank(50, 1000)} ${rank(50, 1000)}`, filters: {} }),
    'file path': () => ({ kind: 'file path', text: pick(corpus.paths), filters: {} }),
    branch: () => ({ kind: 'branch', text: pick(corpus.branches), filters: {} }),
    'commit SHA prefix': () => ({
      kind: 'commit SHA prefix',
      text: pick(corpus.commits).slice(0, 7),
      filters: {},
    }),
    'word prefix*': () => ({ kind: 'word prefix*', text: `${rank(300, 3000).slice(0, 5)}*`, filters: {} }),
    'word + repository': () => ({
      kind: 'word + repository',
      text: rank(300, 3000),
      filters: { repository: pick(corpus.repositories) },
    }),
    'word + status + source': () => ({
      kind: 'word + status + source',
      text: rank(300, 3000),
      filters: { status: 'failed', source: 'github' },
    }),
  };
  return Array.from({ length: count }, (_, index) => make[queryKinds[index % queryKinds.length]!]());
}
