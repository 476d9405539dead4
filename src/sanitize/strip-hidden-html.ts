/**
 * Removes HTML a reader of the rendered issue never sees, outside code (where GitHub shows markup as
 * written): comments, processing instructions, declarations and CDATA; elements whose content is
 * never shown (`<script>`, `<style>`, `<template>`, ...) or that are marked hidden (`hidden`,
 * `aria-hidden="true"`, `style="display:none"`, ...), content included; and every attribute that
 * carries unseen text (`data-*`, `title`, `alt`, `aria-label`, ...): a kept tag keeps only an
 * `href` / `src` that is a plain http(s) URL.
 */
import { findCodeRanges, isInRanges, type TextRange } from './find-code-ranges.js';
import {
  createHtmlScanner,
  matchStrictCloseTag,
  type HtmlAttribute,
  type HtmlScanner,
} from './html-syntax.js';

/** Elements whose content GitHub's sanitizer drops or a browser never renders. */
const contentHiddenElements = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'noembed',
  'noframes',
  'iframe',
  'object',
  'svg',
  'math',
  'xmp',
  'plaintext',
  'textarea',
  'title',
  'head',
]);

/** Elements without content: hiding one removes only the tag. */
const voidElements = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

const hidingStyle =
  /display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0*(?:\.0*)?(?![.\d])|font-size\s*:\s*0*(?:\.0*)?(?![.\d])|(?:max-)?(?:height|width)\s*:\s*0*(?:\.0*)?(?![.\d])/i;
const keptUrlAttributes = new Set(['href', 'src']);
const plainHttpUrl = /^https?:\/\/[^\s"'<>`]+$/i;

function isHiddenElement(name: string, attributes: readonly HtmlAttribute[]): boolean {
  if (contentHiddenElements.has(name)) return true;
  return attributes.some(
    ({ name: attribute, value }) =>
      attribute === 'hidden' ||
      (attribute === 'aria-hidden' && value?.trim().toLowerCase() === 'true') ||
      (attribute === 'style' && value !== undefined && hidingStyle.test(value)),
  );
}

function rebuildOpenTag(name: string, attributes: readonly HtmlAttribute[]): string {
  const kept = attributes
    .filter(
      ({ name: attribute, value }) => keptUrlAttributes.has(attribute) && plainHttpUrl.test(value ?? ''),
    )
    .map(({ name: attribute, value }) => ` ${attribute}="${value ?? ''}"`);
  return `<${name}${kept.join('')}>`;
}

/**
 * Where a hidden element that opened before `from` ends: after its matching strict close tag (same
 * name, nesting counted, tags in code or comments ignored), or at the end of the text when it is
 * never closed (a browser closes it at the end of the document, hiding everything after it).
 */
function hiddenElementEnd(
  text: string,
  html: HtmlScanner,
  element: { name: string; contentStart: number },
  code: readonly TextRange[],
): number {
  const { name } = element;
  let depth = 1;
  let index = text.indexOf('<', element.contentStart);
  while (index !== -1) {
    let next = index + 1;
    if (!isInRanges(code, index)) {
      const close = matchStrictCloseTag(text, index);
      const construct = close === undefined ? html.matchAt(index) : undefined;
      if (close?.name === name) {
        depth -= 1;
        if (depth === 0) return close.end;
      } else if (construct?.kind === 'open-tag' && construct.name === name) {
        depth += 1;
      }
      next = Math.max(next, close?.end ?? construct?.end ?? next);
    }
    index = text.indexOf('<', next);
  }
  return text.length;
}

/** Removes hidden HTML and unseen attributes outside code; see the module comment. */
export function stripHiddenHtml(text: string): string {
  const code = findCodeRanges(text);
  const html = createHtmlScanner(text);
  let output = '';
  let copiedUpTo = 0;
  let index = text.indexOf('<');
  while (index !== -1) {
    const construct = isInRanges(code, index) ? undefined : html.matchAt(index);
    if (construct === undefined || construct.kind === 'autolink') {
      index = text.indexOf('<', index + 1);
      continue;
    }
    output += text.slice(copiedUpTo, index);
    let resumeAt = construct.end;
    if (construct.kind === 'close-tag') {
      output += `</${construct.name}>`;
    } else if (construct.kind === 'open-tag') {
      if (!isHiddenElement(construct.name, construct.attributes)) {
        output += rebuildOpenTag(construct.name, construct.attributes);
      } else if (!voidElements.has(construct.name)) {
        resumeAt = hiddenElementEnd(text, html, { name: construct.name, contentStart: construct.end }, code);
      }
    }
    copiedUpTo = resumeAt;
    index = text.indexOf('<', resumeAt);
  }
  return output + text.slice(copiedUpTo);
}
