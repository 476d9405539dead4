/**
 * The worker's end of the weaver protocol over any pair of streams: numbers requests, matches
 * responses, routes progress notifications, and fails every pending request at once when the
 * stream breaks (the agent crashed or was killed).
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { LoomError, loomErrorCodes, type LoomErrorCode } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { encodeWeaverMessage, weaverAgentMessageSchema, type WeaverMethod } from './weaver-protocol.js';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: LoomError) => void;
  onProgress: ((text: string) => void) | undefined;
}

export interface WeaverConnection {
  /** Sends a request; the promise settles with the result, or rejects with a LoomError. */
  request(
    method: WeaverMethod,
    params: Record<string, unknown>,
    options?: { onProgress?: (text: string) => void },
  ): { id: number; response: Promise<unknown> };
  /** Fails every pending and future request with `error` (first failure wins). */
  fail(error: LoomError): void;
  /** The failure, once the connection is broken. */
  readonly failure: LoomError | undefined;
}

function toCode(code: string): LoomErrorCode {
  return code in loomErrorCodes ? (code as LoomErrorCode) : 'tool_failed';
}

export interface WeaverConnectionOptions {
  /**
   * Explains why the agent's output ended (e.g. waits for the process exit code); the pending
   * requests fail with the answer. Default: a generic "connection closed" error.
   */
  explainClose?: () => Promise<LoomError>;
}

/** Connects to an agent that reads `toAgent` and writes `fromAgent`. */
export function createWeaverConnection(
  fromAgent: Readable,
  toAgent: Writable,
  logger: Logger,
  options: WeaverConnectionOptions = {},
): WeaverConnection {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: LoomError | undefined;

  const fail = (error: LoomError): void => {
    failure ??= error;
    for (const entry of pending.values()) entry.reject(failure);
    pending.clear();
  };

  const lines = createInterface({ input: fromAgent, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let message;
    try {
      message = weaverAgentMessageSchema.safeParse(JSON.parse(line));
    } catch {
      message = undefined;
    }
    if (message === undefined || !message.success) {
      logger.warn({ line: line.slice(0, 200) }, 'weaver sent a line that is not a protocol message');
      return;
    }
    const data = message.data;
    if ('method' in data) {
      pending.get(data.params.request_id)?.onProgress?.(data.params.text);
      return;
    }
    const entry = pending.get(data.id);
    if (entry === undefined) return;
    pending.delete(data.id);
    if ('error' in data) entry.reject(new LoomError(toCode(data.error.code), data.error.message));
    else entry.resolve(data.result);
  });
  lines.on('close', () => {
    const generic = new LoomError('dependency_unavailable', 'The weaver connection closed.');
    if (options.explainClose === undefined) fail(generic);
    else options.explainClose().then(fail, () => fail(generic));
  });
  toAgent.on('error', (error) =>
    fail(new LoomError('dependency_unavailable', `Writing to the weaver failed: ${error.message}`)),
  );

  return {
    request(method, params, options = {}) {
      const id = nextId;
      nextId += 1;
      const response = new Promise<unknown>((resolve, reject) => {
        if (failure !== undefined) {
          reject(failure);
          return;
        }
        pending.set(id, { resolve, reject, onProgress: options.onProgress });
        toAgent.write(encodeWeaverMessage({ id, method, params }));
      });
      return { id, response };
    },
    fail,
    get failure() {
      return failure;
    },
  };
}
