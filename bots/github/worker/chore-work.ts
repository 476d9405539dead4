/**
 * The seam between a chore run's bookkeeping (its record, the "Loom chores" dashboard issue, the
 * optional Slack message) and the work itself (fetch → agent in a weaver → push `loom/chore-{name}`
 * → one PR, reused by later runs). The GitHub worker implements the runner; the chore handler
 * drives it.
 */
import type { AgentRunPayload } from '../../../queue/job-contracts.js';
import type { JobContext } from '../../../queue/job-processor.js';

export interface ChoreWorkEnding {
  status: 'done' | 'answered' | 'failed' | 'cancelled' | 'over-budget';
  /** Why, for every status but `done` / `answered`. */
  reason?: string;
  /** The agent's answer (its summary of the run). */
  answer?: string;
  /** The chore's PR: created by this run, or an earlier run's, updated. */
  pullRequest?: { number: number; url: string; created: boolean };
  /** The branch pushed (`loom/chore-{name}`, or a WIP branch when the run stopped early). */
  branch?: string;
  costUsd: number;
  turns: number;
}

/** Runs one chore (`payload.chore` set); throws only when the attempt should be retried or failed. */
export type ChoreWorkRunner = (payload: AgentRunPayload, context: JobContext) => Promise<ChoreWorkEnding>;
