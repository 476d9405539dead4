/**
 * What a comment that mentions the app asks for (DESIGN §4 Triggers): after the mention, `stop` or
 * `status` alone on its line is a command; anything else is a task. `budget=$N` anywhere outside
 * code and quotes sets the request's spending cap and is taken out of the prompt.
 */
import { addressableText, findAppMention } from './find-app-mention.js';

export type TriggerCommand = 'run' | 'stop' | 'status';

export interface TriggerText {
  command: TriggerCommand;
  /** The comment as the model will read it (already sanitized), without the budget directive. */
  prompt: string;
  /** From `budget=$N`; undefined when absent or out of range. */
  budgetUsd: number | undefined;
}

/** The largest budget a request may ask for (the job contract's limit). */
export const maxBudgetUsd = 10_000;

const budgetDirective = /(?<![\w-])budget\s*=\s*\$?\s*(\d{1,9}(?:\.\d{1,2})?)(?![\w.])/i;

function commandOf(restOfLine: string): TriggerCommand {
  const word = restOfLine
    .trim()
    .replace(/[.!]+$/, '')
    .toLowerCase();
  return word === 'stop' || word === 'status' ? word : 'run';
}

/**
 * Reads a trigger from sanitized text; `undefined` when the text does not mention `@{appSlug}`.
 * Only pass text that went through `sanitizeUntrustedText`: a mention hidden in a comment must not count.
 */
export function parseTriggerText(sanitizedText: string, appSlug: string): TriggerText | undefined {
  const mention = findAppMention(sanitizedText, appSlug);
  if (mention === undefined) return undefined;
  const budget = budgetDirective.exec(addressableText(sanitizedText));
  let prompt = sanitizedText;
  let budgetUsd: number | undefined;
  if (budget !== null) {
    const amount = Number(budget[1]);
    budgetUsd = amount > 0 && amount <= maxBudgetUsd ? amount : undefined;
    prompt = sanitizedText.slice(0, budget.index) + sanitizedText.slice(budget.index + budget[0].length);
  }
  return { command: commandOf(mention.restOfLine), prompt: prompt.trim(), budgetUsd };
}
