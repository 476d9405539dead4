/**
 * The simplest steering source: an in-memory FIFO the caller pushes to (a Slack reply, a GitHub
 * comment on the running job) and the runtime drains before its next model call.
 */
import type { SteeringSource } from './run-agent-options.js';

export interface SteeringQueue extends SteeringSource {
  push(text: string): void;
  readonly size: number;
}

export function createSteeringQueue(): SteeringQueue {
  let queued: string[] = [];
  return {
    push(text: string): void {
      if (text.trim().length > 0) queued.push(text);
    },
    drain(): string[] {
      const drained = queued;
      queued = [];
      return drained;
    },
    get size(): number {
      return queued.length;
    },
  };
}
