/** The real echo processor, counting its invocations per job id. */
import { processEcho, type JobProcessor } from '../../../queue/index.js';

export interface CountingEcho {
  processor: JobProcessor<'echo'>;
  calls(jobId?: string): number;
}

export function countingEcho(): CountingEcho {
  const callsByJob = new Map<string, number>();
  return {
    processor: (payload, context) => {
      callsByJob.set(context.jobId, (callsByJob.get(context.jobId) ?? 0) + 1);
      return processEcho(payload, context);
    },
    calls: (jobId) =>
      jobId === undefined
        ? [...callsByJob.values()].reduce((sum, count) => sum + count, 0)
        : (callsByJob.get(jobId) ?? 0),
  };
}
