/**
 * Local weaver start to first tool result: spawn (bubblewrap or a plain child process), the agent's
 * start through tsx, the `hello` handshake, then one `read_file`. Each round starts a fresh weaver.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/logging/index.js';
import { createLocalWeaver } from '../../src/weaver/index.js';
import { markdownTable, ms, summarize, timed } from './bench-stats.js';

async function oneRound(
  workspace: string,
  sandbox: 'auto' | 'off',
): Promise<{ start: number; first: number; close: number }> {
  const started = await timed(() =>
    createLocalWeaver({ workspaceDir: workspace, sandbox, logger: createSilentLogger() }),
  );
  const weaver = started.value;
  if (sandbox === 'auto' && !weaver.sandboxed) throw new Error('bubblewrap is not usable here');
  const first = await timed(() =>
    weaver.execute(
      { id: 'first', name: 'read_file', arguments: { path: 'hello.txt' } },
      { signal: new AbortController().signal },
    ),
  );
  if (first.value.isError) throw new Error(`first tool call failed: ${first.value.output}`);
  const closed = await timed(() => weaver.close());
  return { start: started.ms, first: first.ms, close: closed.ms };
}

export async function runWeaverStartBench(rounds = 5): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'loom-bench-weaver-'));
  await writeFile(join(workspace, 'hello.txt'), 'hello\n');
  const rows: string[][] = [];
  try {
    for (const sandbox of ['auto', 'off'] as const) {
      await oneRound(workspace, sandbox); // warm-up: tsx's transform cache, page cache
      const results = [];
      for (let round = 0; round < rounds; round += 1) results.push(await oneRound(workspace, sandbox));
      const total = summarize(results.map((result) => result.start + result.first));
      rows.push([
        sandbox === 'auto' ? 'bwrap sandbox' : 'no sandbox',
        String(rounds),
        ms(summarize(results.map((result) => result.start)).median),
        ms(summarize(results.map((result) => result.first)).median),
        ms(total.median),
        `${ms(total.min)}–${ms(total.max)}`,
        ms(summarize(results.map((result) => result.close)).median),
      ]);
    }
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
  return [
    '### Local weaver: start to first tool result',
    '',
    markdownTable(
      [
        'weaver',
        'rounds',
        'start (handshake) p50 ms',
        'first read_file p50 ms',
        'total p50 ms',
        'total min–max ms',
        'close p50 ms',
      ],
      rows,
    ),
  ].join('\n');
}
