/**
 * Keeps the tracking comment's view of the run and pushes it through a throttled editor: steps as
 * they change, and the agent's turns, cost and current tool call as progress events arrive.
 */
import type { AgentProgressEvent } from '../../../src/agent/index.js';
import type { ThrottledEditor } from './create-throttled-editor.js';
import {
  renderTrackingComment,
  type StepKey,
  type StepState,
  type TrackingStatus,
  type TrackingView,
} from './render-tracking-comment.js';

export interface TrackingReporter {
  readonly view: Readonly<TrackingView>;
  step(key: StepKey, state: StepState): void;
  set(patch: Partial<Omit<TrackingView, 'steps' | 'runId'>>): void;
  /** Folds an agent progress event in (turns, cost, the tool call running now). */
  onAgentEvent(event: AgentProgressEvent): void;
  finish(status: TrackingStatus, note?: string): Promise<void>;
  flush(): Promise<void>;
}

function describeCall(name: string, input: Record<string, unknown>): string {
  const detail = input.command ?? input.path ?? input.pattern;
  return typeof detail === 'string' ? `${name}: ${detail}` : name;
}

export function createTrackingReporter(input: {
  editor: ThrottledEditor;
  view: TrackingView;
  /** Spend of earlier attempts, added to the usage this attempt reports. */
  costOffsetUsd: number;
}): TrackingReporter {
  const view: TrackingView = { ...input.view, steps: { ...input.view.steps } };
  const render = () => input.editor.update(renderTrackingComment(view));
  return {
    view,
    step(key, state) {
      view.steps[key] = state;
      render();
    },
    set(patch) {
      Object.assign(view, patch);
      render();
    },
    onAgentEvent(event) {
      if (event.type === 'usage_updated') {
        view.turns = event.turns;
        view.costUsd = input.costOffsetUsd + event.usage.cost_usd;
      } else if (event.type === 'tool_call_started') {
        view.activity = describeCall(event.call.name, event.call.arguments);
      } else if (event.type === 'tool_call_finished') {
        view.activity = undefined;
      } else if (event.type === 'turn_started') {
        view.turns = Math.max(view.turns, event.turn - 1);
      } else {
        return;
      }
      render();
    },
    async finish(status, note) {
      view.status = status;
      view.activity = undefined;
      if (note !== undefined) view.note = note;
      render();
      await input.editor.flush();
    },
    flush: () => input.editor.flush(),
  };
}
