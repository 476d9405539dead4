/** Background work on a timer. */
export { startPeriodicTask } from './start-periodic-task.js';
export type { PeriodicTask } from './start-periodic-task.js';
