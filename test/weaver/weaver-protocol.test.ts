/**
 * The protocol between the two ends, in process over real streams: the agent (`serveWeaverAgent`)
 * and the worker side (`createWeaverConnection` + `createStreamWeaver`), without a child process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logging/index.js';
import {
  createStreamWeaver,
  createWeaverConnection,
  serveWeaverAgent,
  weaverAgentMessageSchema,
  type Weaver,
} from '../../src/weaver/index.js';
import { call } from './weaver-test-support.js';

describe('weaver protocol', () => {
  let workspace: string;
  let toAgent: PassThrough;
  let fromAgent: PassThrough;
  let served: Promise<void>;

  beforeEach(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'loom-protocol-'));
    toAgent = new PassThrough();
    fromAgent = new PassThrough();
    served = serveWeaverAgent({ input: toAgent, output: fromAgent, workspace });
  });
  afterEach(async () => {
    toAgent.end();
    await served;
    await rm(workspace, { recursive: true, force: true });
  });

  async function connect(callTimeoutMs = 10_000): Promise<Weaver> {
    const connection = createWeaverConnection(fromAgent, toAgent, createSilentLogger());
    return createStreamWeaver({
      connection,
      callTimeoutMs,
      startTimeoutMs: 5000,
      logger: createSilentLogger(),
      stop: async () => {
        toAgent.end();
      },
    });
  }

  /** Sends raw lines and collects the agent's answers until `count` responses arrived. */
  async function exchange(lines: string[], count: number): Promise<unknown[]> {
    const answers: unknown[] = [];
    let buffer = '';
    return new Promise((resolve) => {
      fromAgent.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const part of parts) answers.push(JSON.parse(part));
        if (answers.length >= count) resolve(answers);
      });
      for (const line of lines) toAgent.write(`${line}\n`);
    });
  }

  it('answers hello with the tool definitions and read-only flags', async () => {
    const [answer] = await exchange(['{"id":1,"method":"hello"}'], 1);
    const parsed = weaverAgentMessageSchema.parse(answer);
    expect(parsed).toMatchObject({ id: 1, result: { protocol_version: 1, workspace } });
    const tools = (answer as { result: { tools: Array<{ name: string; read_only: boolean }> } }).result.tools;
    expect(tools.find((tool) => tool.name === 'glob')?.read_only).toBe(true);
    expect(tools.find((tool) => tool.name === 'write_file')?.read_only).toBe(false);
  });

  it('answers a malformed request with an error and skips lines that are not JSON', async () => {
    const answers = await exchange(
      ['not json', '{"id":7,"method":"call_tool","params":{}}', '{"id":8,"method":"nope"}'],
      2,
    );
    expect(answers).toEqual([
      { id: 7, error: expect.objectContaining({ code: 'invalid_input' }) },
      { id: 8, error: expect.objectContaining({ code: 'invalid_input' }) },
    ]);
  });

  it('runs tool calls with progress, and turns tool failures into error results', async () => {
    const weaver = await connect();
    const progress: string[] = [];
    const ok = await call(
      weaver,
      'bash',
      { command: 'echo streamed' },
      { onProgress: (text) => progress.push(text) },
    );
    expect(ok).toMatchObject({ isError: false, output: 'streamed\n', metadata: { exitCode: 0 } });
    expect(progress.join('')).toBe('streamed\n');
    const invalid = await call(weaver, 'read_file', {});
    expect(invalid.isError).toBe(true);
    expect(invalid.output).toContain('Invalid input for read_file');
  });

  it('enforces the per-call timeout inside the agent', async () => {
    const weaver = await connect(500);
    const started = Date.now();
    const result = await call(weaver, 'bash', { command: 'sleep 20' });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result).toMatchObject({ isError: true, metadata: { timedOut: true } });
  });

  it('fails in-flight calls as error results when the stream breaks', async () => {
    const weaver = await connect();
    const pending = call(weaver, 'bash', { command: 'sleep 20' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    fromAgent.end();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.output).toContain('The weaver connection closed');
  });

  it('stops serving on shutdown', async () => {
    const weaver = await connect();
    await weaver.close();
    await expect(served).resolves.toBeUndefined();
  });
});
