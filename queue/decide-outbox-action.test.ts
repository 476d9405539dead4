import { describe, expect, it } from 'vitest';
import { decideOutboxAction, type OutboxFacts } from './decide-outbox-action.js';

const now = new Date('2025-01-01T12:00:00Z');
const job = { name: 'echo', payload: { version: 1, message: 'hi' }, options: { jobId: 'd-1' } };

function facts(overrides: Partial<OutboxFacts> = {}): OutboxFacts {
  return {
    request: { status: 'enqueued', job },
    jobExists: false,
    run: undefined,
    now,
    quietRunMs: 60_000,
    ...overrides,
  };
}

function run(
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled',
  ageMs = 0,
  result?: Record<string, unknown>,
) {
  return {
    status,
    updatedAt: new Date(now.getTime() - ageMs),
    result,
    error: status === 'failed' ? 'boom' : undefined,
  };
}

describe('decideOutboxAction', () => {
  it('keeps a request whose job is in the queue, marking a `received` one enqueued', () => {
    expect(decideOutboxAction(facts({ jobExists: true }))).toMatchObject({
      action: 'keep',
      markEnqueued: false,
    });
    expect(
      decideOutboxAction(facts({ jobExists: true, request: { status: 'received', job } })),
    ).toMatchObject({ action: 'keep', markEnqueued: true });
  });

  it('re-enqueues a lost job that never started or whose run went quiet', () => {
    expect(decideOutboxAction(facts())).toEqual({ action: 're-enqueue' });
    expect(decideOutboxAction(facts({ request: { status: 'received', job } }))).toEqual({
      action: 're-enqueue',
    });
    expect(decideOutboxAction(facts({ run: run('queued') }))).toEqual({ action: 're-enqueue' });
    expect(decideOutboxAction(facts({ run: run('running', 120_000) }))).toEqual({ action: 're-enqueue' });
  });

  it('leaves a lost job whose run was active recently (a worker may still hold it)', () => {
    expect(decideOutboxAction(facts({ run: run('running', 1_000) }))).toMatchObject({ action: 'keep' });
  });

  it('never re-enqueues a job that ran to the end; settles the ledger from the run', () => {
    expect(decideOutboxAction(facts({ run: run('done') }))).toEqual({ action: 'settle', status: 'done' });
    expect(decideOutboxAction(facts({ run: run('failed') }))).toEqual({
      action: 'settle',
      status: 'failed',
      reason: 'boom',
    });
    expect(decideOutboxAction(facts({ run: run('cancelled') }))).toMatchObject({
      action: 'settle',
      status: 'failed',
    });
    expect(
      decideOutboxAction(facts({ run: run('done', 0, { outcome: 'refused', reason: 'no write access' }) })),
    ).toEqual({
      action: 'settle',
      status: 'refused',
      reason: 'no write access',
    });
  });

  it('forgets a stale `received` request without a stored job, and leaves later ones', () => {
    expect(decideOutboxAction(facts({ request: { status: 'received', job: undefined } }))).toEqual({
      action: 'forget',
    });
    expect(decideOutboxAction(facts({ request: { status: 'enqueued', job: undefined } }))).toMatchObject({
      action: 'keep',
    });
  });
});
