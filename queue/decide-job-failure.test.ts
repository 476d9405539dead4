import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { LoomError } from '../src/errors/index.js';
import { decideJobFailure, type JobFailureFacts } from './decide-job-failure.js';

function facts(overrides: Partial<JobFailureFacts>): JobFailureFacts {
  return {
    error: new Error('boom'),
    shuttingDown: false,
    cancelled: false,
    failedAttempts: 0,
    attempts: 3,
    ...overrides,
  };
}

describe('decideJobFailure', () => {
  it('retries a retryable LoomError while attempts are left', () => {
    const error = new LoomError('upstream_unavailable', '502');
    expect(decideJobFailure(facts({ error, failedAttempts: 1 }))).toEqual({ action: 'retry' });
  });

  it('fails a retryable error on the last attempt without wrapping it', () => {
    const error = new LoomError('rate_limited', '429');
    expect(decideJobFailure(facts({ error, failedAttempts: 2 }))).toEqual({
      action: 'fail',
      runStatus: 'failed',
      unrecoverable: false,
    });
  });

  it('fails a non-retryable LoomError at once as unrecoverable', () => {
    const error = new LoomError('unauthorized', '401 from provider');
    expect(decideJobFailure(facts({ error }))).toEqual({
      action: 'fail',
      runStatus: 'failed',
      unrecoverable: true,
    });
  });

  it('honours a per-instance retryable override', () => {
    const error = new LoomError('upstream_unavailable', 'spend limit', { retryable: false });
    expect(decideJobFailure(facts({ error })).action).toBe('fail');
  });

  it('maps budget_exceeded to an over-budget run and cancelled to a cancelled run', () => {
    expect(decideJobFailure(facts({ error: new LoomError('budget_exceeded', '$3') }))).toMatchObject({
      runStatus: 'over-budget',
    });
    expect(decideJobFailure(facts({ error: new LoomError('cancelled', 'stop') }))).toMatchObject({
      runStatus: 'cancelled',
    });
  });

  it('treats an error that is not a LoomError as retryable', () => {
    expect(decideJobFailure(facts({ error: new TypeError('socket hang up') }))).toEqual({ action: 'retry' });
  });

  it('fails an UnrecoverableError at once', () => {
    expect(decideJobFailure(facts({ error: new UnrecoverableError('no') }))).toMatchObject({
      action: 'fail',
    });
  });

  it('releases the job at shutdown whatever the error', () => {
    const error = new LoomError('unauthorized', 'aborted mid-call');
    expect(decideJobFailure(facts({ error, shuttingDown: true }))).toEqual({ action: 'release' });
  });

  it('records a cancelled job as cancelled even during shutdown', () => {
    expect(decideJobFailure(facts({ cancelled: true, shuttingDown: true }))).toEqual({
      action: 'fail',
      runStatus: 'cancelled',
      unrecoverable: true,
    });
  });
});
