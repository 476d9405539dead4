import { describe, expect, it } from 'vitest';
import { Cancellation, type CancelSignal } from './cancellation.js';

describe('Cancellation', () => {
  it('starts live and, on abort, calls each listener once in the order added', () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    cancellation.addEventListener('abort', () => calls.push('first'));
    cancellation.addEventListener('abort', () => calls.push('second'), { once: true });
    expect(cancellation.aborted).toBe(false);
    expect(cancellation.reason).toBeUndefined();

    cancellation.abort(new Error('client went away'));
    cancellation.abort(new Error('again'));

    expect(calls).toEqual(['first', 'second']);
    expect(cancellation.aborted).toBe(true);
    expect((cancellation.reason as Error).message).toBe('client went away');
  });

  it('gives an AbortError as the reason when none is given, as AbortController does', () => {
    const cancellation = new Cancellation();
    cancellation.abort();
    expect(cancellation.reason).toBeInstanceOf(DOMException);
    expect((cancellation.reason as DOMException).name).toBe('AbortError');
  });

  it('does not call a removed listener, nor one added after the abort', () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    const removed = (): void => void calls.push('removed');
    cancellation.addEventListener('abort', removed);
    cancellation.addEventListener('abort', () => calls.push('kept'));
    cancellation.removeEventListener('abort', removed);
    cancellation.removeEventListener('abort', () => undefined);
    cancellation.abort();
    cancellation.addEventListener('abort', () => calls.push('late'));
    expect(calls).toEqual(['kept']);
  });

  it('lets a real AbortSignal stand wherever a CancelSignal is expected', () => {
    const controller = new AbortController();
    const signal: CancelSignal = controller.signal;
    let called = 0;
    signal.addEventListener('abort', () => (called += 1), { once: true });
    controller.abort();
    expect(signal.aborted).toBe(true);
    expect(called).toBe(1);
  });
});
