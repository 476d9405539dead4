/**
 * The `SlackApi` port over @slack/web-api's `WebClient` (re-exported by Bolt), pointed at
 * SLACK_API_URL. Errors become `LoomError`s by the SDK's error codes and Slack's error strings, never
 * by message text: rate limits and transport failures are retryable, Slack's refusals are not.
 */
import type { Agent } from 'node:http';
import { webApi } from '@slack/bolt';
import { LoomError } from '../../src/errors/index.js';
import type { Logger } from '../../src/logging/index.js';
import type { SlackApi, SlackBotIdentity } from './slack-api.js';
import { toBoltLogger } from './to-bolt-logger.js';

export interface CreateSlackWebApiOptions {
  token: string;
  /** SLACK_API_URL, e.g. `https://slack.com/api/`. */
  apiUrl: string;
  logger: Logger;
  /** Retries of failed HTTP calls inside the SDK (default 2; the ingress uses 0 to stay fast). */
  retries?: number;
  /** Per-call timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** The outbound proxy's agent (`createOutboundHttpAgent`); unset: node's default agent. */
  agent?: Agent | undefined;
}

export function createSlackWebApi(options: CreateSlackWebApiOptions): SlackApi {
  const client = new webApi.WebClient(options.token, {
    slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`,
    logger: toBoltLogger(options.logger),
    retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    timeout: options.timeoutMs ?? 10_000,
    // A rate-limited call fails at once instead of sleeping inside the SDK for `retry-after`.
    rejectRateLimitedCalls: true,
    ...(options.agent === undefined ? {} : { agent: options.agent }),
  });
  const call = async <T>(method: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toLoomError(method, error);
    }
  };

  return {
    authTest: () =>
      call('auth.test', async (): Promise<SlackBotIdentity> => {
        const result = await client.auth.test();
        if (result.user_id === undefined || result.team_id === undefined) {
          throw new LoomError('upstream_rejected', 'auth.test returned no user_id or team_id');
        }
        return { userId: result.user_id, botId: result.bot_id, teamId: result.team_id };
      }),
    postMessage: (input) =>
      call('chat.postMessage', async () => {
        const result = await client.chat.postMessage({
          channel: input.channel,
          text: input.text,
          ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
          unfurl_links: false,
        });
        if (result.ts === undefined)
          throw new LoomError('upstream_rejected', 'chat.postMessage returned no ts');
        return { ts: result.ts };
      }),
    updateMessage: (input) =>
      call('chat.update', async () => {
        await client.chat.update({ channel: input.channel, ts: input.ts, text: input.text });
      }),
    addReaction: (input) =>
      call('reactions.add', async () => {
        try {
          await client.reactions.add(input);
        } catch (error) {
          if (slackErrorString(error) !== 'already_reacted') throw error;
        }
      }),
  };
}

/** Slack's machine-readable `error` field of a platform error (`already_reacted`, `ratelimited`...). */
function slackErrorString(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

function toLoomError(method: string, error: unknown): LoomError {
  if (error instanceof LoomError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const details = { method, slackError: slackErrorString(error) };
  switch (code) {
    case webApi.ErrorCode.RateLimitedError:
      return new LoomError('rate_limited', `Slack rate-limited ${method}`, { cause: error, details });
    case webApi.ErrorCode.PlatformError:
      return new LoomError('upstream_rejected', `Slack refused ${method}: ${details.slackError}`, {
        cause: error,
        details,
        // Slack's own transient states are worth another try; everything else is final.
        retryable: ['ratelimited', 'internal_error', 'service_unavailable', 'fatal_error'].includes(
          details.slackError ?? '',
        ),
      });
    default:
      return new LoomError('upstream_unavailable', `Slack did not answer ${method}`, {
        cause: error,
        details,
      });
  }
}
