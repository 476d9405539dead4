/**
 * The `echo` job: a processor small enough to read in one glance that still exercises everything a
 * real one relies on: a journal it resumes from, a signal it honours, transient and permanent errors.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { LoomError } from '../../src/errors/index.js';
import type { EchoPayload } from '../job-contracts.js';
import type { JobContext } from '../job-processor.js';

/** Length of one journaled step of work. */
export const echoStepMs = 100;

export type EchoResult = {
  message: string;
  stepsDone: number;
  /** Step the run resumed from: 0 on a fresh start, more after a crash or a release. */
  resumedFromStep: number;
  attempt: number;
};

function stepsDoneIn(progress: Readonly<Record<string, unknown>>): number {
  const value = progress.stepsDone;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

export async function processEcho(payload: EchoPayload, context: JobContext): Promise<EchoResult> {
  if (payload.permanentFailure === true) {
    throw new LoomError('upstream_rejected', 'echo was asked to fail permanently');
  }
  if (context.failedAttempts < (payload.failTimes ?? 0)) {
    throw new LoomError('upstream_unavailable', `echo transient failure ${context.failedAttempts + 1}`);
  }
  const totalSteps = Math.ceil((payload.workMs ?? 0) / echoStepMs);
  const resumedFromStep = Math.min(stepsDoneIn(context.progress), totalSteps);
  for (let step = resumedFromStep; step < totalSteps; step += 1) {
    await sleep(echoStepMs, undefined, { signal: context.signal });
    await context.saveProgress({ stepsDone: step + 1 });
  }
  return { message: payload.message, stepsDone: totalSteps, resumedFromStep, attempt: context.attempt };
}
