/**
 * Where a Markdown text holds literal code (fenced code blocks and inline code spans): GitHub shows
 * markup there as written, so `<script>` or `<!--` inside code is visible text, not hidden markup.
 *
 * This is not a full CommonMark parser. Every shortcut is on the safe side: when unsure, a stretch
 * is NOT code, so the sanitizer still treats the markup in it as markup (at worst a visible code
 * sample loses a tag). Wrongly calling markup "code" would let hidden text through, so:
 * - a line that could start an HTML block (`<` after any container markers) starts one, and no code
 *   span or fence is recognized inside it until its end condition (blank line or end marker);
 * - fences only count at the top level (no quote or list prefix);
 * - code spans never cross a line that could start another block.
 */
import { createHtmlScanner, type HtmlScanner } from './html-syntax.js';

/** `[start, end)` offsets into the text. */
export interface TextRange {
  start: number;
  end: number;
}

interface Line {
  start: number;
  /** Offset after the line's newline (or the text's end). */
  end: number;
  content: string;
}

const fenceOpen = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const htmlBlockStart = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*<([A-Za-z/!?])/;
/** HTML blocks that only end at a marker (CommonMark types 1 to 5); the others end at a blank line. */
const markerEndedBlocks: Array<{ start: RegExp; end: RegExp }> = [
  {
    start: /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+[ \t>]*)*<(?:script|pre|style|textarea)(?:[\s>]|$)/i,
    end: /<\/(?:script|pre|style|textarea)>/i,
  },
  { start: /^[^<]*<!--/, end: /-->/ },
  { start: /^[^<]*<\?/, end: /\?>/ },
  { start: /^[^<]*<!\[CDATA\[/, end: /\]\]>/ },
  { start: /^[^<]*<![A-Za-z]/, end: />/ },
];
/** A line that may start a new block ends the paragraph a code span could span. */
const mayStartBlock = /^[ \t]*(?:[#>*+=_|~`<-]|\d)/;
const asciiPunctuation = /[!-/:-@[-`{-~]/;

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline + 1;
    lines.push({ start, end, content: text.slice(start, newline === -1 ? end : newline) });
    start = end;
  }
  return lines;
}

function isClosingFence(content: string, marker: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(content);
  return match?.[1] !== undefined && match[1][0] === marker[0] && match[1].length >= marker.length;
}

/**
 * Finds the next backtick run of a given length after a position. Openers are asked in increasing
 * position order, so one cursor per length makes the whole region linear (a text full of unmatched
 * backticks cannot make the search quadratic).
 */
function backtickRunFinder(text: string, start: number, end: number) {
  const runsByLength = new Map<number, number[]>();
  for (const run of text.slice(start, end).matchAll(/`+/g)) {
    const positions = runsByLength.get(run[0].length) ?? [];
    positions.push(start + run.index);
    runsByLength.set(run[0].length, positions);
  }
  const cursors = new Map<number, number>();
  return (length: number, after: number): number | undefined => {
    const positions = runsByLength.get(length) ?? [];
    let cursor = cursors.get(length) ?? 0;
    while (cursor < positions.length && (positions[cursor] ?? end) < after) cursor += 1;
    cursors.set(length, cursor);
    return positions[cursor];
  };
}

/** Code spans of one paragraph-like region, honouring escapes and tags that come first. */
function findCodeSpans(
  text: string,
  html: HtmlScanner,
  start: number,
  end: number,
  ranges: TextRange[],
): void {
  const nextRun = backtickRunFinder(text, start, end);
  let index = start;
  while (index < end) {
    const character = text[index];
    if (character === '\\' && asciiPunctuation.test(text[index + 1] ?? '')) {
      index += 2;
    } else if (character === '<') {
      index = Math.max(index + 1, html.matchAt(index)?.end ?? index + 1);
    } else if (character === '`') {
      let length = 1;
      while (text[index + length] === '`') length += 1;
      const closer = nextRun(length, index + length);
      if (closer === undefined) {
        index += length;
      } else {
        ranges.push({ start: index, end: closer + length });
        index = closer + length;
      }
    } else {
      index += 1;
    }
  }
}

/** Sorted, non-overlapping ranges of literal code in a Markdown text. */
export function findCodeRanges(text: string): TextRange[] {
  const ranges: TextRange[] = [];
  const html = createHtmlScanner(text);
  let fence: { marker: string; start: number } | undefined;
  let htmlEnd: RegExp | 'blank' | undefined;
  let region: { start: number; end: number } | undefined;
  const flush = () => {
    if (region !== undefined) findCodeSpans(text, html, region.start, region.end, ranges);
    region = undefined;
  };
  for (const line of splitLines(text)) {
    const blank = line.content.trim() === '';
    if (fence !== undefined) {
      if (isClosingFence(line.content, fence.marker)) {
        ranges.push({ start: fence.start, end: line.end });
        fence = undefined;
      }
    } else if (htmlEnd !== undefined) {
      if (htmlEnd === 'blank' ? blank : htmlEnd.test(line.content)) htmlEnd = undefined;
    } else if (blank) {
      flush();
    } else {
      const opening = fenceOpen.exec(line.content);
      const isFence =
        opening?.[1] !== undefined && !(opening[1][0] === '`' && (opening[2] ?? '').includes('`'));
      if (isFence) {
        flush();
        fence = { marker: opening[1] ?? '```', start: line.start };
      } else if (htmlBlockStart.test(line.content)) {
        flush();
        const markerEnded = markerEndedBlocks.find((block) => block.start.test(line.content));
        htmlEnd = markerEnded?.end ?? 'blank';
        if (markerEnded !== undefined && markerEnded.end.test(line.content)) htmlEnd = undefined;
      } else if (region === undefined || mayStartBlock.test(line.content)) {
        flush();
        region = { start: line.start, end: line.end };
      } else {
        region.end = line.end;
      }
    }
  }
  flush();
  if (fence !== undefined) ranges.push({ start: fence.start, end: text.length });
  return ranges.sort((left, right) => left.start - right.start);
}

/** True when `index` lies inside one of the sorted `ranges`. */
export function isInRanges(ranges: readonly TextRange[], index: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle];
    if (range === undefined) return false;
    if (index < range.start) high = middle - 1;
    else if (index >= range.end) low = middle + 1;
    else return true;
  }
  return false;
}
