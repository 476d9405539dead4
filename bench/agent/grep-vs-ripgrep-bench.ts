/**
 * The `grep` tool against calling ripgrep directly with the same flags, on a generated corpus and on
 * a real one (a copy of the Anthropic SDK package: many files, some large). The difference is the
 * tool's own cost: input validation, path confinement, line handling and output capping.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rgPath } from '@vscode/ripgrep';
import { createToolRegistry, grepTool } from '../../src/tools/index.js';
import { markdownTable, ms, summarize, timed } from './bench-stats.js';

/** The flags the grep tool passes (src/tools/grep-tool.ts), so both sides do the same search. */
const toolEquivalentFlags = [
  '--line-number',
  '--no-heading',
  '--with-filename',
  '--color=never',
  '--sort=path',
  '--max-columns=500',
  '--max-columns-preview',
  '--no-config',
  '--hidden',
  '--glob=!.git/',
  '--no-require-git',
  '--case-sensitive',
];

function ripgrep(cwd: string, pattern: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      rgPath,
      [...toolEquivalentFlags, `--regexp=${pattern}`, '--', '.'],
      { cwd, env: {}, maxBuffer: 1 << 28 },
      (error, stdout) => {
        // Exit code 1 is "no match", not a failure.
        if (error !== null && (error as { code?: unknown }).code !== 1) reject(error);
        else resolve(stdout);
      },
    );
  });
}

async function generatedCorpus(root: string): Promise<void> {
  for (let directory = 0; directory < 20; directory += 1) {
    const path = join(root, `module-${directory}`);
    await mkdir(path, { recursive: true });
    for (let file = 0; file < 100; file += 1) {
      const lines = Array.from({ length: 120 }, (_, line) =>
        (directory * 100 + file) % 40 === 0 && line === 60
          ? `export const needle_${file} = computeValue(${line}); // the line we look for`
          : `export const value_${file}_${line} = computeValue(${line}); // filler text for the search`,
      );
      await writeFile(join(path, `file-${file}.ts`), `${lines.join('\n')}\n`);
    }
  }
}

interface Case {
  corpus: string;
  pattern: string;
  maxResults: number;
}

export async function runGrepBench(rounds = 15): Promise<string> {
  const scratch = await mkdtemp(join(tmpdir(), 'loom-bench-grep-'));
  const generated = join(scratch, 'generated');
  const sdk = join(scratch, 'anthropic-sdk');
  await generatedCorpus(generated);
  await cp(fileURLToPath(new URL('../../node_modules/@anthropic-ai/sdk', import.meta.url)), sdk, {
    recursive: true,
  });
  const cases: Array<Case & { label: string }> = [
    {
      label: 'generated 2,000 files / 240k lines, 50 matches',
      corpus: generated,
      pattern: 'needle_[0-9]+',
      maxResults: 100,
    },
    {
      label: 'generated, 240k matches (tool stops at 100)',
      corpus: generated,
      pattern: 'computeValue',
      maxResults: 100,
    },
    { label: 'Anthropic SDK copy (29 MB), "stream"', corpus: sdk, pattern: 'stream', maxResults: 100 },
    {
      label: 'Anthropic SDK copy, rare "overloaded_error"',
      corpus: sdk,
      pattern: 'overloaded_error',
      maxResults: 100,
    },
  ];
  const rows: string[][] = [];
  try {
    for (const entry of cases) {
      const tools = createToolRegistry({ workspace: entry.corpus, tools: [grepTool] });
      const call = {
        id: 'g',
        name: 'grep',
        arguments: { pattern: entry.pattern, max_results: entry.maxResults },
      };
      const toolTimes: number[] = [];
      const rgTimes: number[] = [];
      await ripgrep(entry.corpus, entry.pattern); // warm the page cache
      for (let round = 0; round < rounds; round += 1) {
        toolTimes.push((await timed(() => tools.execute(call, { signal: new AbortController().signal }))).ms);
        rgTimes.push((await timed(() => ripgrep(entry.corpus, entry.pattern))).ms);
      }
      const tool = summarize(toolTimes);
      const rg = summarize(rgTimes);
      rows.push([
        entry.label,
        ms(tool.median),
        ms(tool.p95),
        ms(rg.median),
        ms(rg.p95),
        `${(tool.median / rg.median).toFixed(2)}×`,
      ]);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return [
    '### grep tool vs ripgrep called directly (same flags)',
    '',
    markdownTable(
      ['search', 'grep tool p50 ms', 'grep tool p95 ms', 'rg p50 ms', 'rg p95 ms', 'tool / rg'],
      rows,
    ),
  ].join('\n');
}
