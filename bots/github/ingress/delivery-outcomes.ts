/**
 * How the app's event handler tells the HTTP layer what became of a delivery. Probot's `receive`
 * returns nothing, so the handler files its outcome under the payload object it was given (the very
 * object the router parsed and passed in) and the router takes it back to answer with it: GitHub
 * shows that answer in the app's "Recent Deliveries", which is where an admin looks first.
 */
export type DeliveryOutcome =
  | { status: 'enqueued'; jobId: string }
  | { status: 'duplicate'; jobId: string }
  | { status: 'ignored'; reason: string };

export interface DeliveryOutcomes {
  report(payload: object, outcome: DeliveryOutcome): void;
  /** The outcome filed for this payload object, if any (and forgets it). */
  take(payload: object): DeliveryOutcome | undefined;
}

/** Keyed weakly, so an outcome nobody takes never leaks. */
export function createDeliveryOutcomes(): DeliveryOutcomes {
  const outcomes = new WeakMap<object, DeliveryOutcome>();
  return {
    report: (payload, outcome) => outcomes.set(payload, outcome),
    take: (payload) => {
      const outcome = outcomes.get(payload);
      outcomes.delete(payload);
      return outcome;
    },
  };
}
