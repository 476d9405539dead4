/**
 * Finds `@{app-slug}` in a comment the way a reader would count it as addressed to the app: not
 * inside code (fenced blocks, code spans), not in a quoted line (`> @loom-bot ...` repeats someone
 * else's request), and not as part of a longer name or an e-mail address.
 */
import { findCodeRanges } from '../../../src/sanitize/index.js';

export interface AppMention {
  /** Offset of the `@`. */
  start: number;
  /** Offset just after the slug. */
  end: number;
  /** The rest of the mention's line, after the slug. */
  restOfLine: string;
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/**
 * The text with code and quoted lines blanked out (same length, so offsets still match the text):
 * what is left is where a mention or a `budget=` directive counts.
 */
export function addressableText(text: string): string {
  // Code units, not code points: offsets must stay those of `text`.
  const units = text.split('');
  const blank = (start: number, end: number) => {
    for (let index = start; index < end; index += 1) if (units[index] !== '\n') units[index] = ' ';
  };
  for (const range of findCodeRanges(text)) blank(range.start, range.end);
  for (const quote of text.matchAll(/^ {0,3}>.*$/gm)) blank(quote.index, quote.index + quote[0].length);
  return units.join('');
}

/** The first mention of `@{appSlug}` (case-insensitive, as GitHub logins are) outside code and quotes. */
export function findAppMention(text: string, appSlug: string): AppMention | undefined {
  const mention = new RegExp(`(?<![\\w.@/\`-])@${escapeForRegExp(appSlug)}(?![\\w-])`, 'i');
  const match = mention.exec(addressableText(text));
  if (match === null) return undefined;
  const end = match.index + match[0].length;
  const lineEnd = text.indexOf('\n', end);
  return { start: match.index, end, restOfLine: text.slice(end, lineEnd === -1 ? text.length : lineEnd) };
}
