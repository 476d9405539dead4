/**
 * The seam between a run and the surface it reports to. The Slack reporter implements it; the
 * work pipeline (fetch → agent in a weaver → push → pull request) drives it. Its steps match the
 * GitHub tracking comment's, so one pipeline can serve both surfaces.
 */
import type { AgentProgressEvent } from '../../src/agent/index.js';

export type RunStepKey = 'fetch' | 'agent' | 'push' | 'pull_request';
export type RunStepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

/** How a run ended, as the final message tells it. */
export interface RunOutcome {
  status: 'done' | 'answered' | 'failed' | 'cancelled' | 'over-budget';
  /** The agent's answer (or its last text when it stopped early). */
  answer?: string;
  pullRequestUrl?: string;
  /** The branch pushed (a WIP branch when the run stopped early). */
  branch?: string;
  /** Why, for every status but `done` / `answered`. */
  reason?: string;
}

export interface RunReporter {
  /** 👀 on the request and the status message: posted once, found again by a retried attempt. */
  start(): Promise<void>;
  /** Marks a step of the work; the status message follows (throttled). */
  step(key: RunStepKey, state: RunStepState): void;
  /** Folds an agent progress event in: turns, cost, the tool call running now. Never throws. */
  onAgentEvent(event: AgentProgressEvent): void;
  /** A line under the steps (a retry notice, a reason); `undefined` clears it. */
  note(text: string | undefined): void;
  /** The status message's final state and the final message (posted once). */
  finish(outcome: RunOutcome): Promise<void>;
  /** A message of its own in the thread (answers to `status`, for example). */
  say(text: string): Promise<void>;
  /** Sends the latest status now and waits for it. */
  flush(): Promise<void>;
  /** Stops the throttle timer (after `finish`, or when the attempt is abandoned). */
  stop(): void;
}
