/**
 * nock interceptors for the Slack Web API methods Loom calls, recording each call's parameters
 * (Slack's SDK posts them form-encoded; nock hands the matcher the decoded object).
 */
import nock from 'nock';
import { slackApiOrigin } from './slack-harness.js';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** When the call arrived (ms since the epoch). */
  at: number;
}

/** Answers `method` every time it is called (until `nock.cleanAll()`), recording the calls. */
export function recordSlackMethod(
  method: string,
  reply: (params: Record<string, unknown>, index: number) => Record<string, unknown> = () => ({ ok: true }),
): RecordedCall[] {
  const calls: RecordedCall[] = [];
  nock(slackApiOrigin)
    .persist()
    .post(`/api/${method}`, (body: Record<string, unknown>) => {
      calls.push({ method, params: body, at: Date.now() });
      return true;
    })
    .reply(200, () => reply(calls.at(-1)?.params ?? {}, calls.length - 1));
  return calls;
}

/** `chat.postMessage` answering with increasing message ts values. */
export function recordPostMessage(): RecordedCall[] {
  return recordSlackMethod('chat.postMessage', (params, index) => ({
    ok: true,
    channel: params.channel,
    ts: `1800000000.${String(index + 1).padStart(6, '0')}`,
    message: { text: params.text },
  }));
}
