/**
 * Socket Mode with the acknowledgement held back until the event is enqueued. Bolt acknowledges an
 * event before its listeners run, which over Socket Mode means at once: a failed enqueue would then
 * lose the event. Here Bolt's `ack()` only records the answer; it is sent after `processEvent`
 * succeeds, and not at all when it fails, so Slack delivers the envelope again.
 */
import type { Agent } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Logger } from '../../src/logging/index.js';
import { toBoltLogger } from './to-bolt-logger.js';

interface SocketModeEventArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

export interface DeferredAckSocketModeReceiverOptions {
  appToken: string;
  /** SLACK_API_URL, where `apps.connections.open` is called. */
  apiUrl: string;
  logger: Logger;
  /** The outbound proxy's agent, for `apps.connections.open` and the WebSocket alike. */
  agent?: Agent | undefined;
}

export class DeferredAckSocketModeReceiver implements Receiver {
  readonly client: SocketModeClient;
  #app: App | undefined;

  constructor(private readonly options: DeferredAckSocketModeReceiverOptions) {
    this.client = new SocketModeClient({
      appToken: options.appToken,
      logger: toBoltLogger(options.logger),
      clientOptions: {
        slackApiUrl: options.apiUrl,
        ...(options.agent === undefined ? {} : { agent: options.agent }),
      },
    });
    this.client.on('slack_event', (args: SocketModeEventArgs) => void this.#dispatch(args));
  }

  init(app: App): void {
    this.#app = app;
  }

  async start(): Promise<void> {
    await this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }

  async #dispatch(args: SocketModeEventArgs): Promise<void> {
    let response: Record<string, unknown> | undefined;
    const event: ReceiverEvent = {
      body: args.body,
      retryNum: args.retry_num,
      retryReason: args.retry_reason,
      ack: async (body?: unknown) => {
        response = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
      },
    };
    try {
      await this.#app?.processEvent(event);
      // Acknowledged once processed, also when no listener wanted it: a retry would change nothing.
      await args.ack(response);
    } catch (error) {
      // Not acknowledged: Slack sends the envelope again (retry_attempt + 1).
      this.options.logger.warn({ err: error }, 'Slack event not processed; left for Slack to retry');
    }
  }
}
