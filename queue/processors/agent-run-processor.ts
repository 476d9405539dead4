/**
 * The `agent-run` processor: it hands each request to the surface it came from. GitHub requests go
 * to the GitHub worker (bots/github/worker); surfaces without a handler in this worker fail the job
 * for good with a clear reason instead of pretending to run it.
 */
import { processGithubAgentRun, type GithubWorkerDeps } from '../../bots/github/worker/index.js';
import { LoomError } from '../../src/errors/index.js';
import type { AgentRunPayload } from '../job-contracts.js';
import type { JobContext, JobProcessor, JobResult } from '../job-processor.js';

/** A handler for the requests of one surface (Slack, chores) that another module provides. */
export type AgentRunHandler = (payload: AgentRunPayload, context: JobContext) => Promise<JobResult>;

export interface AgentRunProcessorDeps {
  /** Set when GitHub is configured (`config.github`). */
  github?: GithubWorkerDeps;
  /** Handlers of other surfaces, by the payload's `source`. */
  handlers?: Partial<Record<AgentRunPayload['source'], AgentRunHandler>>;
}

export function createAgentRunProcessor(deps: AgentRunProcessorDeps): JobProcessor<'agent-run'> {
  return async (payload, context) => {
    if (payload.github !== undefined) {
      if (deps.github === undefined) {
        throw new LoomError('config_invalid', 'this worker has no GitHub app configured for GitHub requests');
      }
      return processGithubAgentRun(payload, context, deps.github);
    }
    const handler = deps.handlers?.[payload.source];
    if (handler === undefined) {
      throw new LoomError('invalid_input', `this worker cannot run ${payload.source} requests yet`);
    }
    return handler(payload, context);
  };
}
