import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import type { JobContext } from '../job-processor.js';
import { processEcho } from './echo-processor.js';

function context(overrides: Partial<JobContext> = {}): JobContext & { saved: Record<string, unknown>[] } {
  const saved: Record<string, unknown>[] = [];
  return {
    jobId: 'd-1',
    runId: 'R-d-1',
    jobName: 'echo',
    attempt: 1,
    failedAttempts: 0,
    progress: {},
    saveProgress: async (progress) => {
      saved.push(progress);
    },
    signal: new AbortController().signal,
    logger: createSilentLogger(),
    saved,
    ...overrides,
  };
}

async function thrown(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('processEcho', () => {
  it('echoes the message and journals each step', async () => {
    const ctx = context();
    const result = await processEcho({ version: 1, message: 'hi', workMs: 250 }, ctx);
    expect(result).toEqual({ message: 'hi', stepsDone: 3, resumedFromStep: 0, attempt: 1 });
    expect(ctx.saved).toEqual([{ stepsDone: 1 }, { stepsDone: 2 }, { stepsDone: 3 }]);
  });

  it('resumes from the journal of a previous attempt', async () => {
    const ctx = context({ progress: { stepsDone: 2 }, attempt: 2 });
    const result = await processEcho({ version: 1, message: 'hi', workMs: 300 }, ctx);
    expect(result).toMatchObject({ resumedFromStep: 2, stepsDone: 3, attempt: 2 });
    expect(ctx.saved).toEqual([{ stepsDone: 3 }]);
  });

  it('fails transiently failTimes times, then succeeds', async () => {
    const first = await thrown(
      processEcho({ version: 1, message: 'x', failTimes: 2 }, context({ failedAttempts: 1 })),
    );
    expect(isLoomError(first) && first.retryable).toBe(true);
    await expect(
      processEcho({ version: 1, message: 'x', failTimes: 2 }, context({ failedAttempts: 2 })),
    ).resolves.toMatchObject({
      message: 'x',
    });
  });

  it('fails permanently with a non-retryable error', async () => {
    const error = await thrown(processEcho({ version: 1, message: 'x', permanentFailure: true }, context()));
    expect(isLoomError(error) && !error.retryable).toBe(true);
  });

  it('stops at the next step when its signal is aborted', async () => {
    const controller = new AbortController();
    const ctx = context({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutdown')), 150);
    const error = await thrown(processEcho({ version: 1, message: 'x', workMs: 5_000 }, ctx));
    expect(error).toBeInstanceOf(Error);
    expect(ctx.saved.length).toBeGreaterThanOrEqual(1);
    expect(ctx.saved.length).toBeLessThan(5);
  });
});
