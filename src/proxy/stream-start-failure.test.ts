import { describe, expect, it } from 'vitest';
import { streamStartFailure } from './stream-start-failure.js';

const sse = (event: string | undefined, data: unknown): string =>
  `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;

describe('streamStartFailure', () => {
  it("reads Anthropic's overloaded error event as the 529 it stands for", () => {
    const start = sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(streamStartFailure(start)).toEqual({
      status: 529,
      retryAfterMs: undefined,
      errorType: 'overloaded_error',
    });
    expect(streamStartFailure(start.replaceAll('\n', '\r\n'))).toMatchObject({ status: 529 });
  });

  it('maps server errors and rate limits of either provider to their statuses', () => {
    expect(streamStartFailure(sse('error', { type: 'error', error: { type: 'api_error' } }))).toMatchObject({
      status: 500,
    });
    expect(
      streamStartFailure(sse(undefined, { error: { type: 'server_error', message: 'x' } })),
    ).toMatchObject({
      status: 500,
    });
    expect(
      streamStartFailure(sse(undefined, { error: { type: 'requests', code: 'rate_limit_exceeded' } })),
    ).toMatchObject({ status: 429, errorType: 'rate_limit_exceeded' });
    expect(
      streamStartFailure(sse('error', { type: 'error', code: 'server_error', message: 'x' })),
    ).toMatchObject({
      status: 500,
      errorType: 'server_error',
    });
  });

  it('names a spend limit by its code, so it is never retried', () => {
    const quota = sse(undefined, { error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect(streamStartFailure(quota)).toMatchObject({ errorType: 'insufficient_quota' });
  });

  it('reads an error it does not know as a 400, which is not retried', () => {
    const start = sse('error', { type: 'error', error: { type: 'invalid_request_error' } });
    expect(streamStartFailure(start)).toMatchObject({ status: 400, errorType: 'invalid_request_error' });
    expect(streamStartFailure('event: error\ndata: not json\n\n')).toMatchObject({ status: 400 });
  });

  it('finds nothing in a stream that starts normally, or whose first event is not complete yet', () => {
    expect(streamStartFailure(sse('message_start', { type: 'message_start', message: {} }))).toBeUndefined();
    expect(
      streamStartFailure(sse(undefined, { id: 'c', choices: [{ delta: { role: 'assistant' } }] })),
    ).toBeUndefined();
    expect(
      streamStartFailure('event: error\ndata: {"type":"error","error":{"type":"overloaded'),
    ).toBeUndefined();
    expect(streamStartFailure('')).toBeUndefined();
  });
});
