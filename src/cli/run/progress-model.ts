/**
 * What the CLI shows of a run, as values: each agent event becomes zero or more finished lines and
 * an updated one-line status (for the spinner). No I/O and no clock here; the renderers decide how a
 * line looks on a terminal or in a log.
 */
import type { AgentProgressEvent } from '../../agent/index.js';
import { describeToolCall, truncate } from './describe-tool-call.js';

export type ProgressLineKind = 'turn' | 'text' | 'tool' | 'done' | 'fail' | 'retry' | 'steer';

export interface ProgressLine {
  kind: ProgressLineKind;
  text: string;
}

export interface ProgressModel {
  /** Lines the event finished; the status may change too. */
  apply(event: AgentProgressEvent): ProgressLine[];
  /** The current activity in a few words (`turn 2 · bash: npm test`). */
  status(): string;
  /** Dollars spent so far. */
  costUsd(): number;
}

export interface ProgressModelOptions {
  /**
   * Show the model's text between tool calls as `text` lines. Off in the REPL, which streams the
   * text itself on stdout.
   */
  showText: boolean;
}

export function createProgressModel(options: ProgressModelOptions): ProgressModel {
  let turn = 0;
  let pendingText = '';
  let activity = 'starting';
  let costUsd = 0;
  const running = new Map<string, string>();

  const flushText = (): ProgressLine[] => {
    const text = pendingText.trim();
    pendingText = '';
    return options.showText && text !== '' ? [{ kind: 'text', text }] : [];
  };

  const apply = (event: AgentProgressEvent): ProgressLine[] => {
    switch (event.type) {
      case 'turn_started':
        turn = event.turn;
        pendingText = '';
        activity = 'thinking';
        return event.attempt === 0 ? [{ kind: 'turn', text: String(event.turn) }] : [];
      case 'text_delta':
        pendingText += event.text;
        activity = 'writing';
        return [];
      case 'tool_call_started': {
        const description = describeToolCall(event.call);
        running.set(event.call.id, description);
        activity = description;
        return [...flushText(), { kind: 'tool', text: description }];
      }
      case 'tool_progress': {
        const lastLine = event.text.trimEnd().split('\n').at(-1) ?? '';
        if (running.has(event.callId) && lastLine !== '') {
          activity = `${running.get(event.callId)} › ${truncate(lastLine.trim(), 60)}`;
        }
        return [];
      }
      case 'tool_call_finished': {
        running.delete(event.call.id);
        activity = running.size > 0 ? ([...running.values()].at(-1) ?? 'tools') : 'thinking';
        const text = `${describeToolCall(event.call)} (${formatDuration(event.durationMs)})`;
        return [{ kind: event.isError ? 'fail' : 'done', text }];
      }
      case 'retry_scheduled': {
        activity = `waiting to retry (${event.error.code})`;
        const status = event.error.status === undefined ? '' : ` HTTP ${event.error.status}`;
        const text = `${event.error.code}${status}, retry ${event.attempt} in ${formatDuration(event.delayMs)}: ${truncate(event.error.message, 160)}`;
        return [{ kind: 'retry', text }];
      }
      case 'steering_injected':
        return [{ kind: 'steer', text: truncate(event.text, 160) }];
      case 'usage_updated':
        costUsd = event.usage.cost_usd;
        return [];
      case 'run_started':
      case 'run_finished':
        return [];
    }
  };

  return {
    apply,
    status: () => (turn === 0 ? activity : `turn ${turn} · ${activity}`),
    costUsd: () => costUsd,
  };
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
