import { describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { parseJobPayload } from '../job-contracts.js';
import type { JobContext } from '../job-processor.js';
import { createAgentRunProcessor } from './agent-run-processor.js';

const context: JobContext = {
  jobId: 'd-1',
  runId: 'R-d-1',
  jobName: 'agent-run',
  attempt: 1,
  failedAttempts: 0,
  progress: {},
  saveProgress: async () => undefined,
  signal: new AbortController().signal,
  logger: createSilentLogger(),
};

const slackPayload = parseJobPayload('agent-run', { version: 1, source: 'slack', prompt: 'hi' });
const githubPayload = parseJobPayload('agent-run', {
  version: 1,
  source: 'github',
  prompt: '@loom-bot hi',
  github: {
    installationId: 1,
    owner: 'acme',
    repo: 'web',
    number: 1,
    isPullRequest: false,
    trigger: 'issue_body',
    triggeredAt: '2026-01-01T00:00:00Z',
    sender: { login: 'alice', id: 1 },
    appSlug: 'loom-bot',
  },
});

async function thrown(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('createAgentRunProcessor', () => {
  it('hands a request to the handler of its source', async () => {
    const processor = createAgentRunProcessor({
      handlers: { slack: async (payload) => ({ echoed: payload.prompt }) },
    });
    await expect(processor(slackPayload, context)).resolves.toEqual({ echoed: 'hi' });
  });

  it('fails for good when no handler can run the request', async () => {
    const processor = createAgentRunProcessor({});
    const noHandler = await thrown(processor(slackPayload, context));
    expect(isLoomError(noHandler, 'invalid_input') && !noHandler.retryable).toBe(true);
    const noGithub = await thrown(processor(githubPayload, context));
    expect(isLoomError(noGithub, 'config_invalid')).toBe(true);
  });
});
