/**
 * Harness overhead per agent step with a zero-latency scripted model: a step is one model call
 * (streamed, parsed, state machine, transcript) plus one tool call. Measured with a no-op tool and
 * with `read_file` in process, and with `read_file` over the local weaver (bubblewrap, and
 * unsandboxed). The same tool called directly, without the agent, gives the part that is the tool's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { runAgent } from '../../src/agent/index.js';
import { createScriptedLlmClient, scriptedStep, type ToolCall } from '../../src/llm/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { builtinTools, createToolRegistry, type Tool, type ToolExecutor } from '../../src/tools/index.js';
import { createLocalWeaver } from '../../src/weaver/index.js';
import { markdownTable, ms, summarize } from './bench-stats.js';

const noopTool: Tool<{ note?: string }> = {
  name: 'noop',
  description: 'Does nothing.',
  inputSchema: z.object({ note: z.string().optional() }),
  readOnly: true,
  execute: async () => ({ output: 'ok', isError: false }),
};

interface Scenario {
  name: string;
  steps: number;
  call: Omit<ToolCall, 'id'>;
  open(workspace: string): Promise<{ tools: ToolExecutor; close(): Promise<void> }>;
}

const usage = { input_tokens: 1, output_tokens: 1 };

/** Runs the agent for `steps` tool steps; returns per-step durations (model call start to next one). */
async function agentSteps(tools: ToolExecutor, steps: number, call: Omit<ToolCall, 'id'>): Promise<number[]> {
  const llm = createScriptedLlmClient((_request, index) =>
    // Fixed usage: the scripted client's own token estimate would add a JSON.stringify per call.
    index < steps ? scriptedStep.toolCalls([call], { usage }) : scriptedStep.text('done', usage),
  );
  const starts: number[] = [];
  const result = await runAgent({
    llm,
    model: 'scripted',
    tools,
    prompt: 'benchmark',
    limits: { maxTurns: steps + 1 },
    onEvent: (event) => {
      if (event.type === 'turn_started') starts.push(performance.now());
    },
  });
  if (result.status !== 'done') throw new Error(`benchmark run ended ${result.status}: ${result.reason}`);
  return starts.slice(1).map((start, index) => start - (starts[index] ?? start));
}

async function directCalls(
  tools: ToolExecutor,
  count: number,
  call: Omit<ToolCall, 'id'>,
): Promise<number[]> {
  const durations: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = performance.now();
    await tools.execute({ id: `direct-${index}`, ...call }, { signal: new AbortController().signal });
    durations.push(performance.now() - start);
  }
  return durations;
}

export async function runHarnessOverheadBench(): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'loom-bench-harness-'));
  await writeFile(join(workspace, 'small.txt'), 'line\n'.repeat(40));
  const readSmall = { name: 'read_file', arguments: { path: 'small.txt' } };
  const logger = createSilentLogger();
  const weaver = (sandbox: 'auto' | 'off') => async (dir: string) => {
    const instance = await createLocalWeaver({ workspaceDir: dir, sandbox, logger });
    if (sandbox === 'auto' && !instance.sandboxed) throw new Error('bubblewrap is not usable here');
    return { tools: instance, close: () => instance.close() };
  };
  const inProcess = (tools: Tool[]) => async (dir: string) => ({
    tools: createToolRegistry({ workspace: dir, tools }),
    close: async () => undefined,
  });
  const scenarios: Scenario[] = [
    {
      name: 'in-process, no-op tool',
      steps: 500,
      call: { name: 'noop', arguments: {} },
      open: inProcess([noopTool]),
    },
    { name: 'in-process, read_file', steps: 300, call: readSmall, open: inProcess([...builtinTools]) },
    { name: 'local weaver (bwrap), read_file', steps: 200, call: readSmall, open: weaver('auto') },
    { name: 'local weaver (no sandbox), read_file', steps: 200, call: readSmall, open: weaver('off') },
  ];
  const rows: string[][] = [];
  try {
    for (const scenario of scenarios) {
      const opened = await scenario.open(workspace);
      try {
        await agentSteps(opened.tools, 30, scenario.call); // warm-up: JIT, file cache, connection
        const step = summarize(await agentSteps(opened.tools, scenario.steps, scenario.call));
        const tool = summarize(await directCalls(opened.tools, scenario.steps, scenario.call));
        rows.push([
          scenario.name,
          String(scenario.steps),
          ms(step.mean),
          ms(step.median),
          ms(step.p95),
          ms(tool.median),
          ms(step.median - tool.median),
        ]);
      } finally {
        await opened.close();
      }
    }
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
  return [
    '### Harness overhead per step (zero-latency scripted model)',
    '',
    markdownTable(
      ['tools', 'steps', 'step mean ms', 'step p50 ms', 'step p95 ms', 'tool alone p50 ms', 'harness p50 ms'],
      rows,
    ),
  ].join('\n');
}
