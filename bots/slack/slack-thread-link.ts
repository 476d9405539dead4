/**
 * A web link to a Slack thread, for the PR and commit that point back to it. Built from the ids
 * (Slack's `archives/{channel}/p{ts}` form, which opens the message in the user's own workspace)
 * so no extra API call is needed to tell where the work was asked for.
 */
export function slackThreadLink(channelId: string, threadTs: string): string {
  return `https://slack.com/archives/${channelId}/p${threadTs.replace('.', '')}`;
}
