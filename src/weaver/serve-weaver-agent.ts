/**
 * The agent side of the weaver protocol (`loom weaver-agent`): reads requests from `input`, runs
 * tools on the workspace, writes responses to `output`. Requests run concurrently; ordering of
 * mutating calls is the caller's business (the agent runtime sends them one at a time).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { toLoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { createSilentLogger } from '../logging/index.js';
import { createToolRegistry } from '../tools/tool-registry.js';
import type { Tool, ToolExecutor } from '../tools/tool-types.js';
import { exportGitBundle } from './export-git-bundle.js';
import { importGitBundle } from './import-git-bundle.js';
import { runToolCall } from './run-tool-call.js';
import { encodeWeaverMessage, weaverProtocolVersion, weaverRequestSchema } from './weaver-protocol.js';
import type { HelloResult, WeaverRequest } from './weaver-protocol.js';

export interface ServeWeaverAgentOptions {
  /** Where requests arrive (the process's stdin). */
  input: Readable;
  /** Where responses go (the process's stdout); nothing else may write to it. */
  output: Writable;
  /** Absolute path of the workspace. */
  workspace: string;
  /** The tools served. Default: the built-ins. */
  tools?: readonly Tool[];
  logger?: Logger;
}

async function importBundle(workspace: string, base64: string): Promise<{ head: string }> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'loom-bundle-'));
  try {
    const file = path.join(directory, 'import.bundle');
    await writeFile(file, Buffer.from(base64, 'base64'));
    return { head: await importGitBundle(workspace, file) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function hello(registry: ToolExecutor, workspace: string): HelloResult {
  return {
    protocol_version: weaverProtocolVersion,
    workspace,
    tools: registry
      .definitions()
      .map((definition) => ({ ...definition, read_only: registry.isReadOnly(definition.name) })),
  };
}

/** Serves the weaver protocol until `input` ends or a `shutdown` request arrives. */
export async function serveWeaverAgent(options: ServeWeaverAgentOptions): Promise<void> {
  const logger = options.logger ?? createSilentLogger();
  const workspace = path.resolve(options.workspace);
  const registry = createToolRegistry({ workspace, ...(options.tools ? { tools: options.tools } : {}) });
  const inflight = new Map<number, AbortController>();
  const running = new Set<Promise<void>>();
  const lines = createInterface({ input: options.input, crlfDelay: Infinity });
  options.output.on('error', (error) => logger.warn({ err: error }, 'weaver agent output failed'));
  const send = (message: unknown): void => {
    if (options.output.writable) options.output.write(encodeWeaverMessage(message));
  };

  const handle = async (request: WeaverRequest): Promise<unknown> => {
    switch (request.method) {
      case 'hello':
        return hello(registry, workspace);
      case 'call_tool': {
        const controller = new AbortController();
        inflight.set(request.id, controller);
        try {
          return await runToolCall(registry, request.params, controller, (text) =>
            send({ method: 'progress', params: { request_id: request.id, text } }),
          );
        } finally {
          inflight.delete(request.id);
        }
      }
      case 'cancel': {
        const controller = inflight.get(request.params.request_id);
        controller?.abort();
        return { cancelled: controller !== undefined };
      }
      case 'import_bundle':
        return importBundle(workspace, request.params.bundle);
      case 'export_bundle': {
        const bundle = await exportGitBundle(workspace, request.params.base_ref);
        return { bundle: bundle === undefined ? null : bundle.toString('base64') };
      }
      case 'shutdown':
        lines.close();
        return {};
    }
  };

  const dispatch = (line: string): void => {
    if (line.trim() === '') return;
    let parsed: ReturnType<typeof weaverRequestSchema.safeParse>;
    try {
      parsed = weaverRequestSchema.safeParse(JSON.parse(line));
    } catch {
      logger.warn('weaver agent received a line that is not JSON');
      return;
    }
    if (!parsed.success) {
      const id = (JSON.parse(line) as { id?: unknown }).id;
      if (typeof id === 'number')
        send({ id, error: { code: 'invalid_input', message: parsed.error.message } });
      return;
    }
    const request = parsed.data;
    const task = handle(request).then(
      (result) => send({ id: request.id, result }),
      (error: unknown) => {
        const loomError = toLoomError(error);
        send({ id: request.id, error: { code: loomError.code, message: loomError.message } });
      },
    );
    running.add(task);
    void task.finally(() => running.delete(task));
  };

  lines.on('line', dispatch);
  await new Promise<void>((resolve) => lines.once('close', resolve));
  for (const controller of inflight.values()) controller.abort();
  await Promise.allSettled([...running]);
}
