/**
 * Who Loom is in Slack (`auth.test`), asked once and remembered. Bolt would call `auth.test` on every
 * event when token verification is off (its cache only works with verification at start-up, which
 * fails for good on one network hiccup), so the app resolves it here: one call shared by concurrent
 * events, remembered on success, asked again after a failure.
 */
import type { SlackApi, SlackBotIdentity } from './slack-api.js';

export interface BotIdentityResolver {
  get(): Promise<SlackBotIdentity>;
}

export function createBotIdentityResolver(api: SlackApi): BotIdentityResolver {
  let known: SlackBotIdentity | undefined;
  let pending: Promise<SlackBotIdentity> | undefined;
  return {
    async get() {
      if (known !== undefined) return known;
      pending ??= api.authTest().then(
        (identity) => {
          known = identity;
          pending = undefined;
          return identity;
        },
        (error: unknown) => {
          pending = undefined;
          throw error;
        },
      );
      return pending;
    },
  };
}
