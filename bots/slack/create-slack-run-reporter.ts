/**
 * Reports one run in its Slack thread (issue 6 item 4): 👀 on the request, one status message edited
 * in place at most once a second (steps, turns, cost), and a final message. What it posted is saved
 * in the store under the run's key, so a retried or duplicated attempt edits the same status message
 * and never posts a second final message (RELIABILITY 25, 27).
 */
import type { AgentProgressEvent } from '../../src/agent/index.js';
import type { Logger } from '../../src/logging/index.js';
import type { SlackReportState, SlackStateRepository } from '../../src/store/index.js';
import { createThrottledUpdater } from './create-throttled-updater.js';
import { renderSlackFinal } from './render-slack-final.js';
import { initialSlackSteps, renderSlackStatus, type SlackStatusView } from './render-slack-status.js';
import type { RunReporter } from './run-reporter.js';
import type { SlackApi } from './slack-api.js';

export interface SlackRunReporterOptions {
  api: Pick<SlackApi, 'addReaction' | 'postMessage' | 'updateMessage'>;
  state: Pick<SlackStateRepository, 'getReport' | 'saveReport'>;
  /** Stable across attempts: the run id (or the delivery id). */
  key: string;
  channelId: string;
  threadTs: string;
  /** The message that asked (gets the 👀). */
  messageTs: string;
  repository?: string;
  budgetUsd?: number;
  /** Spend of earlier attempts, added to what this attempt reports. */
  costOffsetUsd?: number;
  logger: Logger;
  /** Minimum time between two edits of the status message (default 1000 ms). */
  minUpdateIntervalMs?: number;
  now?: () => number;
}

function describeCall(name: string, input: Record<string, unknown>): string {
  const detail = input.command ?? input.path ?? input.pattern;
  return typeof detail === 'string' ? `${name}: ${detail}` : name;
}

export function createSlackRunReporter(options: SlackRunReporterOptions): RunReporter {
  const { api, logger } = options;
  const costOffset = options.costOffsetUsd ?? 0;
  const view: SlackStatusView = {
    status: 'working',
    ...(options.repository === undefined ? {} : { repository: options.repository }),
    ...(options.budgetUsd === undefined ? {} : { budgetUsd: options.budgetUsd }),
    steps: initialSlackSteps(),
    turns: 0,
    toolCalls: 0,
    costUsd: costOffset,
  };
  let saved: SlackReportState = {};
  const save = async (patch: SlackReportState) => {
    saved = { ...saved, ...patch };
    await options.state.saveReport(options.key, saved);
  };
  const statusTs = () => saved.statusTs;
  const updater = createThrottledUpdater({
    intervalMs: options.minUpdateIntervalMs ?? 1000,
    logger,
    ...(options.now === undefined ? {} : { now: options.now }),
    send: async (text) => {
      const ts = statusTs();
      if (ts !== undefined) await api.updateMessage({ channel: options.channelId, ts, text });
    },
  });
  const render = () => updater.update(renderSlackStatus(view));

  return {
    async start() {
      saved = (await options.state.getReport(options.key)) ?? {};
      if (saved.reacted !== true) {
        // A missing reaction is cosmetic: logged, and the run goes on.
        await api
          .addReaction({ channel: options.channelId, timestamp: options.messageTs, name: 'eyes' })
          .then(() => save({ reacted: true }))
          .catch((error: unknown) => logger.warn({ err: error }, 'could not add the 👀 reaction'));
      }
      const text = renderSlackStatus(view);
      const ts = statusTs();
      if (ts === undefined) {
        const posted = await api.postMessage({
          channel: options.channelId,
          threadTs: options.threadTs,
          text,
        });
        await save({ statusTs: posted.ts });
      } else {
        updater.update(text);
        await updater.flush();
      }
    },
    step(key, state) {
      view.steps[key] = state;
      render();
    },
    onAgentEvent(event: AgentProgressEvent) {
      if (event.type === 'usage_updated') {
        view.turns = event.turns;
        view.costUsd = costOffset + event.usage.cost_usd;
      } else if (event.type === 'tool_call_started') {
        view.activity = describeCall(event.call.name, event.call.arguments);
      } else if (event.type === 'tool_call_finished') {
        view.activity = undefined;
        view.toolCalls += 1;
      } else if (event.type === 'turn_started') {
        view.turns = Math.max(view.turns, event.turn - 1);
      } else {
        return;
      }
      render();
    },
    note(text) {
      view.note = text;
      render();
    },
    async finish(outcome) {
      view.status = outcome.status;
      view.activity = undefined;
      if (outcome.reason !== undefined && outcome.status !== 'done' && outcome.status !== 'answered') {
        view.note = outcome.reason;
      }
      render();
      await updater.flush();
      if (saved.finalTs === undefined) {
        const posted = await api.postMessage({
          channel: options.channelId,
          threadTs: options.threadTs,
          text: renderSlackFinal(outcome),
        });
        await save({ finalTs: posted.ts });
      }
      updater.stop();
    },
    async say(text) {
      await api.postMessage({ channel: options.channelId, threadTs: options.threadTs, text });
    },
    flush: () => updater.flush(),
    stop: () => updater.stop(),
  };
}
