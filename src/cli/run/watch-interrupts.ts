/**
 * Ctrl-C while an agent works: the first one cancels (the caller aborts its run and reports), a
 * second one quits at once, for a run that does not wind down. SIGTERM counts as Ctrl-C.
 */
export interface InterruptHandlers {
  /** First Ctrl-C (or SIGTERM). */
  cancel(signal: NodeJS.Signals): void;
  /** Any further one. */
  quit(signal: NodeJS.Signals): void;
}

/** Starts listening; the returned function stops, and re-arms nothing. */
export function watchInterrupts(signals: NodeJS.EventEmitter, handlers: InterruptHandlers): () => void {
  let seen = 0;
  const listener = (signal: NodeJS.Signals): void => {
    seen += 1;
    if (seen === 1) handlers.cancel(signal);
    else handlers.quit(signal);
  };
  signals.on('SIGINT', listener);
  signals.on('SIGTERM', listener);
  return () => {
    signals.off('SIGINT', listener);
    signals.off('SIGTERM', listener);
  };
}
