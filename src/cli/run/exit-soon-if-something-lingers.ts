/**
 * Called when an interactive command is over and its output written: a timer or socket some library
 * forgot must not keep the user's shell waiting. The guard is unref'd, so it never delays a clean
 * exit; the exit code already set in `process.exitCode` is kept.
 */
export function exitSoonIfSomethingLingers(delayMs = 2000): void {
  setTimeout(() => process.exit(), delayMs).unref();
}
