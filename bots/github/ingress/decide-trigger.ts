/**
 * Whether a candidate event is a request for Loom (DESIGN §4, RELIABILITY 16–18 at ingress level).
 * Pure. Never a trigger: any bot (type `Bot` or a `[bot]` login, whichever account of the event it
 * is, so a bot whose login mimics ours or an allowed one gets nowhere), anything made through our
 * own app, payloads without an installation, text without a mention of `@{app-slug}` after
 * sanitizing. Whether a human may ask (write access) is the worker's check, with a fresh API answer.
 */
import { sanitizeUntrustedText } from '../../../src/sanitize/index.js';
import { parseTriggerText, type TriggerText } from './parse-trigger-text.js';
import type { GithubAccount, TriggerCandidate } from './trigger-candidate.js';

export type TriggerDecision = { kind: 'ignore'; reason: string } | { kind: 'trigger'; request: TriggerText };

export interface AppIdentity {
  id: number;
  /** From `GET /app`. */
  slug: string;
}

/** True for GitHub App bots and any account that calls itself one. */
export function isBotAccount(account: GithubAccount): boolean {
  return account.type.toLowerCase() === 'bot' || account.login.toLowerCase().endsWith('[bot]');
}

/**
 * The reason a candidate can never trigger, judged without the app slug (so no API call is made
 * for bot traffic), or `undefined` when its text still has to be read.
 */
export function screenCandidate(candidate: TriggerCandidate, appId: number): string | undefined {
  if (isBotAccount(candidate.sender) || isBotAccount(candidate.author)) return 'sent by a bot';
  if (candidate.viaAppId === appId) return 'made through this app';
  if (candidate.installationId === undefined) return 'no installation in the payload';
  if (!candidate.text.includes('@')) return 'no mention of the app';
  return undefined;
}

/** The full decision: screening, then a mention of the app in the sanitized text. */
export function decideTrigger(candidate: TriggerCandidate, app: AppIdentity): TriggerDecision {
  const screened = screenCandidate(candidate, app.id);
  if (screened !== undefined) return { kind: 'ignore', reason: screened };
  const request = parseTriggerText(sanitizeUntrustedText(candidate.text), app.slug);
  if (request === undefined) return { kind: 'ignore', reason: 'no mention of the app' };
  return { kind: 'trigger', request };
}
