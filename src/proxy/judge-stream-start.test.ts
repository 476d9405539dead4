import { describe, expect, it } from 'vitest';
import { judgeStreamStart } from './judge-stream-start.js';

const sse = (event: string | undefined, data: unknown): string =>
  `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;

const overloaded = sse('error', {
  type: 'error',
  error: { type: 'overloaded_error', message: 'Overloaded' },
});
const messageStart = sse('message_start', { type: 'message_start', message: { usage: { input_tokens: 3 } } });
const failureOf = (start: string) => {
  const verdict = judgeStreamStart(start);
  return verdict.kind === 'failure' ? verdict.failure : verdict.kind;
};

describe('judgeStreamStart', () => {
  it("reads Anthropic's overloaded error event as the 529 it stands for", () => {
    expect(judgeStreamStart(overloaded)).toEqual({
      kind: 'failure',
      failure: { status: 529, retryAfterMs: undefined, errorType: 'overloaded_error' },
    });
    expect(failureOf(overloaded.replaceAll('\n', '\r\n'))).toMatchObject({ status: 529 });
  });

  it('looks past the opening events, which carry no content, to the first other one', () => {
    const ping = sse('ping', { type: 'ping' });
    const blockStart = sse('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    expect(failureOf(messageStart + overloaded)).toMatchObject({ status: 529 });
    expect(failureOf(`${messageStart}: a comment\n\n${ping}${blockStart}${overloaded}`)).toMatchObject({
      status: 529,
    });
    const created = sse('response.created', { type: 'response.created', response: {} });
    const failed = sse('error', { type: 'error', code: 'server_error', message: 'x' });
    expect(failureOf(created + failed)).toMatchObject({ status: 500, errorType: 'server_error' });
    const responseFailed = sse('response.failed', {
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'server_error', message: 'x' } },
    });
    expect(failureOf(created + responseFailed)).toMatchObject({ status: 500, errorType: 'server_error' });
  });

  it('maps server errors and rate limits of either provider to their statuses', () => {
    expect(failureOf(sse('error', { type: 'error', error: { type: 'api_error' } }))).toMatchObject({
      status: 500,
    });
    expect(failureOf(sse(undefined, { error: { type: 'server_error', message: 'x' } }))).toMatchObject({
      status: 500,
    });
    expect(
      failureOf(sse(undefined, { error: { type: 'requests', code: 'rate_limit_exceeded' } })),
    ).toMatchObject({ status: 429, errorType: 'rate_limit_exceeded' });
  });

  it('names a spend limit by its code, so it is never retried', () => {
    const quota = sse(undefined, { error: { type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect(failureOf(quota)).toMatchObject({ errorType: 'insufficient_quota' });
  });

  it('reads an error it does not know as a 400, which is not retried', () => {
    const start = sse('error', { type: 'error', error: { type: 'invalid_request_error' } });
    expect(failureOf(start)).toMatchObject({ status: 400, errorType: 'invalid_request_error' });
    expect(failureOf('event: error\ndata: not json\n\n')).toMatchObject({ status: 400 });
  });

  it('finds a clean start once content comes first, whatever follows', () => {
    const delta = sse('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Hi' },
    });
    expect(judgeStreamStart(messageStart + delta + overloaded)).toEqual({ kind: 'clean' });
    expect(
      judgeStreamStart(sse(undefined, { id: 'c', choices: [{ delta: { role: 'assistant' } }] })),
    ).toEqual({ kind: 'clean' });
    expect(judgeStreamStart('data: [DONE]\n\n')).toEqual({ kind: 'clean' });
  });

  it('hands on a body that is not an event stream after all, unjudged', () => {
    expect(judgeStreamStart('{"id":"msg_1","type":"message"')).toEqual({ kind: 'clean' });
    expect(judgeStreamStart('<html>')).toEqual({ kind: 'clean' });
    // The first bytes of a field name are not enough to tell.
    expect(judgeStreamStart('da')).toEqual({ kind: 'undecided' });
    expect(judgeStreamStart('\n: comment')).toEqual({ kind: 'undecided' });
  });

  it('is undecided until a whole event past the opening ones has come', () => {
    expect(judgeStreamStart('')).toEqual({ kind: 'undecided' });
    expect(judgeStreamStart(messageStart)).toEqual({ kind: 'undecided' });
    expect(judgeStreamStart(': keep-alive\n\n')).toEqual({ kind: 'undecided' });
    expect(
      judgeStreamStart(`${messageStart}event: error\ndata: {"type":"error","error":{"type":"over`),
    ).toEqual({
      kind: 'undecided',
    });
  });
});
