/** Parses a token lifetime such as `90s`, `15m`, `1h` or `7d` (or a bare number of seconds). */
import { LoomError } from '../errors/index.js';

const unitSeconds = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Longest lifetime a token may have: a leaked token must not outlive a month. */
export const maxTokenTtlSeconds = 30 * 86_400;

export function parseTtl(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (match === null) {
    throw new LoomError('invalid_input', `invalid ttl "${text}": use a number with s, m, h or d (e.g. 1h)`);
  }
  const unit = (match[2] === '' ? 's' : match[2]) as keyof typeof unitSeconds;
  const seconds = Number(match[1]) * unitSeconds[unit];
  if (seconds < 1 || seconds > maxTokenTtlSeconds) {
    throw new LoomError('invalid_input', `ttl must be between 1s and ${maxTokenTtlSeconds / 86_400}d`);
  }
  return seconds;
}
