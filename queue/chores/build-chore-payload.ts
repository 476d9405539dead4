import type { ChoreDefinition } from '../../src/chores/index.js';
import { parseJobPayload, type AgentRunPayload } from '../job-contracts.js';

export interface ChorePayloadInput {
  /** `owner/name`. */
  repository: string;
  installationId: number;
  chore: ChoreDefinition;
  trigger: 'scheduled' | 'manual';
}

/** The conversation all runs of one chore share, so they read as one thread. */
export function choreConversationKey(repository: string, name: string): string {
  return `chore:${repository}:${name}`;
}

/**
 * The `agent-run` v1 payload of a chore run (`source: 'chore'`), validated against the contract so
 * a scheduler never holds a template the worker would refuse.
 */
export function buildChorePayload(input: ChorePayloadInput): AgentRunPayload {
  const [owner = '', repo = ''] = input.repository.split('/');
  const { chore } = input;
  return parseJobPayload('agent-run', {
    version: 1,
    source: 'chore',
    prompt: chore.prompt,
    repository: input.repository,
    conversationKey: choreConversationKey(input.repository, chore.name),
    ...(chore.budgetUsd === undefined ? {} : { budgetUsd: chore.budgetUsd }),
    chore: {
      installationId: input.installationId,
      owner,
      repo,
      name: chore.name,
      labels: chore.labels,
      reviewers: chore.reviewers,
      ...(chore.slackChannel === undefined ? {} : { slackChannel: chore.slackChannel }),
      trigger: input.trigger,
    },
  });
}
