/** Sanitizing untrusted text before it reaches a prompt. See specs/sanitize.md. */
export { sanitizeUntrustedText } from './sanitize-untrusted-text.js';
export { findCodeRanges, isInRanges } from './find-code-ranges.js';
export type { TextRange } from './find-code-ranges.js';
