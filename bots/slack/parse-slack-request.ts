/**
 * What a message addressed to Loom asks for, after the mention (DESIGN §4): `stop` cancels, `status`
 * reports, `use owner/repo` sets the channel's default repository, anything else is the task.
 * A `budget=$3` anywhere sets the request's spending cap.
 */
import { findRepositoryReference, type RepositoryReference } from './find-repository-reference.js';

export type SlackRequest =
  | { command: 'stop' }
  | { command: 'status' }
  | { command: 'use'; repository: string }
  /** Only the mention, nothing else. */
  | { command: 'empty' }
  | {
      command: 'run';
      /** The task as the user wrote it (decoded, budget removed). */
      prompt: string;
      repository: RepositoryReference | undefined;
      budgetUsd: number | undefined;
    };

const budgetPattern = /(?:^|\s)budget\s*=\s*\$?(\d{1,5}(?:\.\d{1,2})?)(?=\s|$|[.,;!?])/i;

/** Parses decoded text (see `decodeSlackText`). */
export function parseSlackRequest(text: string, githubHosts?: readonly string[]): SlackRequest {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  const first = words[0]?.toLowerCase().replace(/[.!?]+$/, '');
  if (words.length === 0) return { command: 'empty' };
  if (words.length === 1 && (first === 'stop' || first === 'status')) return { command: first };
  if (first === 'use' && words.length === 2) {
    const reference = findRepositoryReference(words[1] as string, githubHosts);
    if (reference !== undefined) return { command: 'use', repository: reference.repository };
  }

  const budget = budgetPattern.exec(text);
  const budgetUsd = budget === null ? undefined : Number(budget[1]);
  const prompt = (budget === null ? text : text.replace(budget[0], ' ')).replace(/\s{2,}/g, ' ').trim();
  if (prompt === '') return { command: 'empty' };
  return {
    command: 'run',
    prompt,
    repository: findRepositoryReference(prompt, githubHosts),
    budgetUsd: budgetUsd !== undefined && budgetUsd > 0 ? budgetUsd : undefined,
  };
}
