/**
 * Markdown that carries text a reader never sees, outside code: image alt text (shown only when the
 * image fails to load), link titles (shown only on hover), and link reference definitions, which
 * are never rendered at all: `[//]: # (hidden)` is the classic Markdown comment. A definition some
 * link uses is kept without its title; an unused one is removed whole.
 */
import { findCodeRanges, isInRanges } from './find-code-ranges.js';

const imageAltText = /!\[((?:[^[\]\\]|\\[\s\S]|\[(?:[^[\]\\]|\\[\s\S])*\])*)\]/g;
const linkTitle =
  /(\]\(\s*(?:<[^<>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*))\s+(?:"(?:[^"\\]|\\[\s\S])*"|'(?:[^'\\]|\\[\s\S])*'|\((?:[^()\\]|\\[\s\S])*\))\s*\)/g;
const referenceDefinition =
  /^ {0,3}\[(?!\^)((?:[^[\]\\\n]|\\.){1,999})\]:[ \t]*\n?[ \t]*(<[^<>\n]*>|\S+)(?:(?:[ \t]+|[ \t]*\n[ \t]*)(?:"[^"]*"|'[^']*'|\([^()]*\)))?[ \t]*$\n?/gm;
const bracketedText = /\[((?:[^[\]\\]|\\.)+)\]/g;

type Replacer = (match: RegExpExecArray) => string;

/** Applies `replace` to every match of `pattern` that does not start inside code. */
function replaceOutsideCode(text: string, pattern: RegExp, replace: Replacer): string {
  const code = findCodeRanges(text);
  let output = '';
  let copiedUpTo = 0;
  for (const match of text.matchAll(pattern)) {
    if (isInRanges(code, match.index)) continue;
    output += text.slice(copiedUpTo, match.index) + replace(match);
    copiedUpTo = match.index + match[0].length;
  }
  return output + text.slice(copiedUpTo);
}

function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** `![alt](url)` → `![](url)`. */
export function stripImageAltText(text: string): string {
  return replaceOutsideCode(text, imageAltText, () => '![]');
}

/** `[text](url "title")` → `[text](url)`. */
export function stripLinkTitles(text: string): string {
  return replaceOutsideCode(text, linkTitle, (match) => `${match[1] ?? ''})`);
}

/** Removes unused reference definitions and the titles of used ones. */
export function stripReferenceDefinitions(text: string): string {
  const withoutDefinitions = text.replace(referenceDefinition, '');
  const usedLabels = new Set(
    [...withoutDefinitions.matchAll(bracketedText)].map((m) => normalizeLabel(m[1] ?? '')),
  );
  return replaceOutsideCode(text, referenceDefinition, (match) => {
    const label = match[1] ?? '';
    if (!usedLabels.has(normalizeLabel(label))) return '';
    return `[${label}]: ${match[2] ?? ''}${match[0].endsWith('\n') ? '\n' : ''}`;
  });
}

/** All three: image alt text, link titles, reference definitions. */
export function stripHiddenMarkdown(text: string): string {
  return stripReferenceDefinitions(stripLinkTitles(stripImageAltText(text)));
}
