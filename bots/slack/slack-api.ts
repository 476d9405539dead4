/**
 * The few Slack Web API calls Loom makes, as a port: the ingress's immediate replies and the run
 * reporter use it, and tests answer it at the HTTP boundary (SLACK_API_URL).
 */

export interface SlackBotIdentity {
  /** The bot user's id (`<@U…>` mentions). */
  userId: string;
  botId: string | undefined;
  /** The workspace the token belongs to: the installed workspace. */
  teamId: string;
}

export interface SlackApi {
  /** `auth.test`: who the token is. */
  authTest(): Promise<SlackBotIdentity>;
  /** `chat.postMessage`, in a thread when `threadTs` is given. Returns the new message's `ts`. */
  postMessage(input: { channel: string; threadTs?: string; text: string }): Promise<{ ts: string }>;
  /** `chat.update` of a message Loom posted. */
  updateMessage(input: { channel: string; ts: string; text: string }): Promise<void>;
  /** `reactions.add`; a reaction that is already there counts as added. */
  addReaction(input: { channel: string; timestamp: string; name: string }): Promise<void>;
}
