/**
 * A `Weaver` over a protocol connection, whatever carries it (a local child's stdio, an exec stream
 * into a pod). Every tool failure, timeout, cancel or broken connection becomes an error result the
 * model reads; bundle operations and startup problems are thrown as LoomErrors to the worker.
 */
import { LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import type { ToolCall, ToolDefinition } from '../llm/llm-types.js';
import { errorResult } from '../tools/tool-results.js';
import type { ToolResult } from '../tools/tool-types.js';
import type { WeaverConnection } from './weaver-connection.js';
import {
  exportBundleResultSchema,
  helloResultSchema,
  importBundleResultSchema,
  toolResultSchema,
  weaverProtocolVersion,
} from './weaver-protocol.js';
import type { Weaver } from './weaver-types.js';

/** Extra time the worker waits beyond the agent's own per-call timeout before giving up on it. */
const answerGraceMs = 5000;
const shutdownTimeoutMs = 5000;

export interface StreamWeaverOptions {
  connection: WeaverConnection;
  /** Per-call timeout the agent enforces (and the worker, with a little grace). */
  callTimeoutMs: number;
  /** How long the agent may take to answer `hello`. */
  startTimeoutMs: number;
  logger: Logger;
  /** Ends the transport after `shutdown` was sent (kill the process, close the stream). */
  stop: () => Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new LoomError('timeout', `${what} did not finish within ${ms} ms.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function callTool(
  options: StreamWeaverOptions,
  call: ToolCall,
  callOptions: { signal: AbortSignal; onProgress?: (text: string) => void },
): Promise<ToolResult> {
  const { connection, callTimeoutMs } = options;
  if (connection.failure !== undefined) {
    return Promise.resolve(errorResult(`${call.name} did not run: ${connection.failure.message}`));
  }
  if (callOptions.signal.aborted) return Promise.resolve(errorResult(`${call.name} was cancelled.`));
  const { id, response } = connection.request(
    'call_tool',
    { name: call.name, input: call.arguments, timeout_ms: callTimeoutMs },
    callOptions.onProgress === undefined ? {} : { onProgress: callOptions.onProgress },
  );
  const cancelRemote = (): void => {
    connection.request('cancel', { request_id: id }).response.catch(() => undefined);
  };
  return new Promise((resolve) => {
    const settle = (result: ToolResult): void => {
      clearTimeout(timer);
      callOptions.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const timer = setTimeout(() => {
      cancelRemote();
      settle(errorResult(`${call.name} timed out after ${callTimeoutMs} ms.`, { timedOut: true }));
    }, callTimeoutMs + answerGraceMs);
    const onAbort = (): void => {
      cancelRemote();
      settle(errorResult(`${call.name} was cancelled.`));
    };
    callOptions.signal.addEventListener('abort', onAbort, { once: true });
    response.then(
      (result) => {
        const parsed = toolResultSchema.safeParse(result);
        settle(
          parsed.success ? parsed.data : errorResult(`The weaver sent a malformed result for ${call.name}.`),
        );
      },
      (error: LoomError) => settle(errorResult(`${call.name} failed in the weaver: ${error.message}`)),
    );
  });
}

/** Performs the `hello` handshake and returns the weaver; throws when the agent does not answer. */
export async function createStreamWeaver(options: StreamWeaverOptions): Promise<Weaver> {
  const { connection } = options;
  const hello = helloResultSchema.parse(
    await withTimeout(
      connection.request('hello', {}).response,
      options.startTimeoutMs,
      'The weaver handshake',
    ),
  );
  if (hello.protocol_version !== weaverProtocolVersion) {
    throw new LoomError(
      'dependency_unavailable',
      `Weaver protocol ${hello.protocol_version} is not supported.`,
    );
  }
  const definitions: ToolDefinition[] = hello.tools.map(({ name, description, input_schema }) => ({
    name,
    description,
    input_schema,
  }));
  const readOnly = new Set(hello.tools.filter((tool) => tool.read_only).map((tool) => tool.name));
  let closing: Promise<void> | undefined;

  return {
    workspace: hello.workspace,
    definitions: () => definitions.map((definition) => ({ ...definition })),
    isReadOnly: (toolName) => readOnly.has(toolName),
    execute: (call, callOptions) => callTool(options, call, callOptions),
    async importBundle(bundle) {
      const request = connection.request('import_bundle', { bundle: bundle.toString('base64') });
      importBundleResultSchema.parse(
        await withTimeout(request.response, options.callTimeoutMs, 'Importing the bundle'),
      );
    },
    async exportBundle(baseRef) {
      const request = connection.request('export_bundle', { base_ref: baseRef });
      const result = exportBundleResultSchema.parse(
        await withTimeout(request.response, options.callTimeoutMs, 'Exporting the bundle'),
      );
      return result.bundle === null ? undefined : Buffer.from(result.bundle, 'base64');
    },
    close() {
      closing ??= (async () => {
        if (connection.failure === undefined) {
          await withTimeout(connection.request('shutdown', {}).response, shutdownTimeoutMs, 'Shutdown').catch(
            (error: unknown) => options.logger.debug({ err: error }, 'weaver shutdown request failed'),
          );
        }
        await options.stop();
      })();
      return closing;
    },
  };
}
