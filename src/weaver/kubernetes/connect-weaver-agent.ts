/**
 * Starts `loom weaver-agent` in a ready pod over an exec stream and wraps it as a `Weaver`: the
 * same protocol, tool code and bundle transfer as the local backend, only the transport differs.
 */
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoomError } from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import { createStreamWeaver } from '../create-stream-weaver.js';
import { createWeaverConnection } from '../weaver-connection.js';
import type { Weaver } from '../weaver-types.js';
import { weaverAgentCommand, weaverContainerName } from './build-weaver-pod.js';
import { explainExecEnd } from './explain-exec-end.js';
import type { WeaverPodApi } from './kubernetes-pod-api.js';
import type { KubernetesWeaverSettings } from './kubernetes-weaver-settings.js';

const stderrTailLines = 20;

export interface ConnectWeaverAgentOptions {
  api: WeaverPodApi;
  podName: string;
  settings: KubernetesWeaverSettings;
  logger: Logger;
}

function keepStderrTail(stderr: Readable, logger: Logger): string[] {
  const tail: string[] = [];
  let partial = '';
  stderr.setEncoding('utf8');
  stderr.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      logger.debug({ agent: line }, 'weaver agent stderr');
      tail.push(line);
      if (tail.length > stderrTailLines) tail.shift();
    }
  });
  return tail;
}

/** Resolves once the agent in `podName` answered the handshake. */
export async function connectWeaverAgent(options: ConnectWeaverAgentOptions): Promise<Weaver> {
  const { api, podName, settings, logger } = options;
  const session = await api.exec(podName, weaverContainerName, weaverAgentCommand(settings));
  const stderrTail = keepStderrTail(session.stderr, logger);
  let stopping = false;
  const explanation = session.ended.then((end) =>
    stopping
      ? new LoomError('dependency_unavailable', `Weaver pod ${podName} was closed.`)
      : explainExecEnd(api, podName, end),
  );
  const connection = createWeaverConnection(session.stdout, session.stdin, logger, {
    explainClose: () => explanation,
  });
  void explanation.then((error) => {
    if (stopping) return;
    logger.error({ err: error, pod: podName, stderr: stderrTail.join('\n') }, 'weaver exec stream ended');
    connection.fail(error);
  });
  const stop = async (): Promise<void> => {
    stopping = true;
    session.close();
    await Promise.race([session.ended, sleep(3000)]);
  };
  try {
    const weaver = await createStreamWeaver({
      connection,
      callTimeoutMs: settings.callTimeoutMs,
      startTimeoutMs: settings.handshakeTimeoutMs,
      logger,
      stop,
    });
    // From the shutdown request on, the stream ending is expected, not a fault to explain.
    return {
      ...weaver,
      close: () => {
        stopping = true;
        return weaver.close();
      },
    };
  } catch (error) {
    await stop();
    const detail = stderrTail.join('\n') || (error instanceof Error ? error.message : String(error));
    throw new LoomError(
      'dependency_unavailable',
      `The weaver agent in pod ${podName} did not start: ${detail}`,
      {
        cause: error,
      },
    );
  }
}
