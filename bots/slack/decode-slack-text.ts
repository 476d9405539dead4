/**
 * Slack message text ("mrkdwn" with `<…>` control sequences and `&amp;`-style escapes) turned into
 * plain text for the prompt: our own mention removed, links reduced to their URL, channel and group
 * mentions to their readable names, escapes decoded.
 */

/** Decodes Slack's control sequences; `botUserId`'s mentions are removed. */
export function decodeSlackText(text: string, botUserId: string): string {
  const decoded = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => decodeSequence(inner, botUserId));
  return decoded
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

function decodeSequence(inner: string, botUserId: string): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    if (target.slice(1) === botUserId) return '';
    return `<${target}>`;
  }
  if (target.startsWith('#')) return label === undefined ? target : `#${label}`;
  if (target.startsWith('!')) {
    if (label !== undefined) return label;
    return `@${target.slice(1).split('^')[0]}`;
  }
  // A link: the URL is what the model needs (Slack shows the label, which is usually the URL too).
  return target;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}
