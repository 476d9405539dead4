/**
 * While the agent works, the run holds its conversation's inbox open (when the worker has one):
 * messages delivered there steer the agent or stop it, whatever surface they came from, and the
 * run publishes a one-line status for `status`. A message delivered after the last take is taken
 * back by its sender once the inbox closes (see the inbox port), so nothing is lost.
 */
import type { SteeringQueue } from '../../../src/agent/index.js';
import type { Logger } from '../../../src/logging/index.js';
import type { ConversationInbox } from './conversation-inbox.js';
import type { SteeringWatch } from './work-target.js';

export interface InboxWatchInput {
  inbox: ConversationInbox;
  conversationKey: string;
  runId: string;
  pollMs: number;
  steering: SteeringQueue;
  onStop(requester: string): void;
  sanitize(text: string): string;
  /** The status line published on each poll. */
  status(): string;
  logger: Logger;
}

export function watchConversationInbox(input: InboxWatchInput): SteeringWatch {
  let stopped = false;
  let stopRequested = false;
  let wake: (() => void) | undefined;
  const watching = (async () => {
    const open = await input.inbox.open(input.conversationKey, input.runId);
    try {
      while (!stopped) {
        for (const message of await open.take()) {
          if (message.kind === 'stop') {
            if (!stopRequested) input.onStop(message.from);
            stopRequested = true;
            continue;
          }
          const text = input.sanitize(message.text).trim();
          if (text !== '') input.steering.push(`${message.from} replied while you were working:\n\n${text}`);
        }
        await open.setStatus(input.status());
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, input.pollMs).unref();
        });
      }
    } finally {
      await open.close();
    }
  })().catch((error: unknown) => input.logger.warn({ err: error }, 'the conversation inbox stopped'));
  return {
    async stop() {
      stopped = true;
      wake?.();
      await watching;
    },
  };
}

/** `acme/web: 3 turns, $0.12 of $5.00 · bash: npm test`. */
export function runStatusLine(input: {
  repository: string;
  turns: number;
  costUsd: number;
  budgetUsd: number;
  activity?: string | undefined;
}): string {
  const cost = `$${input.costUsd.toFixed(2)} of $${input.budgetUsd.toFixed(2)}`;
  const activity = input.activity === undefined ? '' : ` · now: ${input.activity}`;
  return `Working on ${input.repository}: ${input.turns} turns, ${cost}${activity}.`;
}
