/**
 * A deterministic synthetic corpus of agent conversations for the search benchmark: Zipf-distributed
 * words, file paths, branches, commit SHAs, tool calls and tool output, in threads of 50 messages
 * over 50 repositories. The same seed gives the same corpus, so runs are comparable.
 */
import type { CreateThreadInput, NewThreadMessage, ThreadSource } from '../../src/threads/index.js';

export const messagesPerThread = 50;
const vocabularySize = 30_000;
const repositories = Array.from({ length: 50 }, (_, index) => `acme/service-${index}`);

/** mulberry32: small, fast, good enough to draw words. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SearchCorpus {
  /** Words by frequency rank (0 = most frequent). */
  words: string[];
  paths: string[];
  /** Branches and commits actually written, for queries that must hit. */
  branches: string[];
  commits: string[];
  repositories: string[];
  threads(count: number): Generator<CreateThreadInput>;
}

export function createSearchCorpus(seed = 42): SearchCorpus {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const words = makeVocabulary(random);
  const cumulative = zipfCumulative(words.length);
  const word = (): string => words[lowerBound(cumulative, random())] as string;
  const phrase = (count: number): string => Array.from({ length: count }, word).join(' ');
  const paths = Array.from({ length: 2000 }, () => `src/${pick(words.slice(0, 300))}/${pick(words)}.ts`);
  const sha = (): string =>
    Array.from({ length: 40 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  const corpus: SearchCorpus = { words, paths, branches: [], commits: [], repositories, threads };

  function message(index: number, commits: string[]): NewThreadMessage {
    const cycle = ['assistant', 'tool', 'assistant', 'tool', 'user'] as const;
    const role = index === 0 ? 'user' : (cycle[index % 5] ?? 'user');
    if (role === 'user')
      return { role, content: `${phrase(8 + Math.floor(random() * 18))} in ${pick(paths)}` };
    if (role === 'tool') {
      const lines = Array.from(
        { length: 3 + Math.floor(random() * 6) },
        () => `${pick(paths)}:${Math.floor(random() * 400)}: ${phrase(6 + Math.floor(random() * 10))}`,
      );
      if (random() < 0.1)
        lines.push(`[${pick(['main', 'loom/1-fix'])} ${(pick(commits) ?? sha()).slice(0, 7)}] ${phrase(5)}`);
      return { role, content: lines.join('\n'), tool_call_id: `call-${index - 1}` };
    }
    const content = phrase(10 + Math.floor(random() * 30));
    if (random() < 0.5) return { role, content };
    const calls = [
      { name: 'read_file', arguments: { path: pick(paths) } },
      { name: 'grep', arguments: { pattern: word(), path: `src/${pick(words.slice(0, 300))}` } },
      { name: 'bash', arguments: { command: `npm test -- ${word()}` } },
      {
        name: 'edit_file',
        arguments: { path: pick(paths), edits: [{ old_str: phrase(4), new_str: phrase(4) }] },
      },
    ];
    return { role, content, tool_calls: [{ id: `call-${index}`, ...pick(calls) }] };
  }

  function* threads(count: number): Generator<CreateThreadInput> {
    for (let index = 0; index < count; index += 1) {
      const repository = pick(repositories);
      const branch = `feature/${word()}-${word()}-${index}`;
      const commits = Array.from({ length: 1 + Math.floor(random() * 3) }, sha);
      corpus.branches.push(branch);
      corpus.commits.push(...commits);
      const source: ThreadSource =
        index % 3 === 0
          ? {
              kind: 'slack',
              teamId: 'T1',
              channelId: `C${index % 40}`,
              threadTs: `${1700000000 + index}.000100`,
            }
          : {
              kind: 'github',
              repository,
              number: index + 1,
              type: index % 3 === 1 ? 'issue' : 'pull_request',
            };
      yield {
        title: phrase(6),
        owner: `user-${index % 200}`,
        status: pick(['done', 'done', 'failed', 'open'] as const),
        repository,
        sources: [source],
        git: { branch, base: 'main', commits },
        messages: Array.from({ length: messagesPerThread }, (_, position) => message(position, commits)),
      };
    }
  }
  return corpus;
}

function makeVocabulary(random: () => number): string[] {
  const onsets = [
    'b',
    'c',
    'd',
    'f',
    'g',
    'h',
    'k',
    'l',
    'm',
    'n',
    'p',
    'r',
    's',
    't',
    'v',
    'w',
    'z',
    'st',
    'tr',
    'pl',
  ];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou'];
  const seen = new Set<string>();
  while (seen.size < vocabularySize) {
    const syllables = 2 + Math.floor(random() * 3);
    let text = '';
    for (let index = 0; index < syllables; index += 1) {
      text += onsets[Math.floor(random() * onsets.length)]! + vowels[Math.floor(random() * vowels.length)]!;
    }
    seen.add(text);
  }
  return [...seen];
}

function zipfCumulative(size: number): Float64Array {
  const weights = Float64Array.from({ length: size }, (_, rank) => 1 / (rank + 1) ** 1.05);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let running = 0;
  return weights.map((weight) => (running += weight / total));
}

function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
