/**
 * The one gate untrusted text (issue and PR bodies, comments, Slack messages) passes before it
 * reaches a prompt: it removes what a human reading the rendered text would not see, so nobody can
 * hide instructions for the model in plain sight (RELIABILITY 21). Everything visible stays as written.
 */
import { stripHiddenHtml } from './strip-hidden-html.js';
import { stripHiddenMarkdown } from './strip-hidden-markdown.js';
import { stripInvisibleCharacters, stripInvisibleEntities } from './strip-invisible-characters.js';

/**
 * Removing one hidden construct can join the text around it into another (`<scr<!-- -->ipt>`), so
 * the passes repeat until nothing changes; real text settles in one or two rounds.
 */
const maxRounds = 5;

function sanitizeOnce(text: string): string {
  // Invisible characters go first: a zero-width space inside `<!-\u200b-` must not hide a comment.
  const visible = stripInvisibleEntities(stripInvisibleCharacters(text));
  return stripHiddenMarkdown(stripHiddenHtml(visible));
}

/**
 * Returns `text` without HTML comments (closed or not), processing instructions, CDATA,
 * zero-width / bidi-control / tag / variation-selector / other invisible characters and their
 * entities, content-hidden elements (`<script>`, `<style>`, `<template>`, ...), elements marked
 * hidden (`hidden`, `aria-hidden`, hiding inline styles), unseen attributes (`data-*`, `alt`,
 * `title`, `aria-label`, ...), Markdown image alt text, link titles and unused reference
 * definitions. Markup inside fenced code blocks and code spans is visible, so it is kept.
 * Pure and idempotent: sanitizing the result again changes nothing.
 */
export function sanitizeUntrustedText(text: string): string {
  let current = text;
  for (let round = 0; round < maxRounds; round += 1) {
    const next = sanitizeOnce(current);
    if (next === current) return next;
    current = next;
  }
  return current;
}
