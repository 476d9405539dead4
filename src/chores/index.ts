/**
 * Chores as code (pure): `.loom/chores.yml` parsed and validated with line numbers, and the next run
 * times of a schedule as BullMQ's job schedulers compute them. See specs/chores.md.
 */
export type { ChoreDefinition, ChoreProblem, ChoresFileResult } from './chore-types.js';
export {
  choresFilePath,
  formatChoreProblems,
  maxChoresPerFile,
  parseChoresFile,
} from './parse-chores-file.js';
export { maxChoreBudgetUsd } from './read-chore-fields.js';
export { nextRunTimes, scheduleProblem, timezoneProblem } from './validate-schedule.js';
