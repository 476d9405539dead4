/**
 * A completed check run on a commit, as the worker (the run's commands, turns and cost) and the
 * chores sync (an invalid `.loom/chores.yml`, with line annotations) post it.
 */
import { callGithub, type InstallationOctokit } from './create-github-app.js';
import type { RepositoryName } from './github-worker-api.js';

export interface CompletedCheckRun {
  name: string;
  headSha: string;
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled';
  title: string;
  summary: string;
  text?: string;
  /** Links the check run to what it reports (`external_id`). */
  externalId?: string;
  /** Failure annotations on lines of files (GitHub shows at most 50 per request). */
  annotations?: Array<{ path: string; line: number; message: string; title?: string }>;
}

export function createCompletedCheckRun(
  octokit: InstallationOctokit,
  repository: RepositoryName,
  input: CompletedCheckRun,
): Promise<{ id: number }> {
  return callGithub('create the check run', async () => {
    const { data } = await octokit.rest.checks.create({
      ...repository,
      name: input.name,
      head_sha: input.headSha,
      status: 'completed',
      conclusion: input.conclusion,
      completed_at: new Date().toISOString(),
      ...(input.externalId === undefined ? {} : { external_id: input.externalId }),
      output: {
        title: input.title,
        summary: input.summary,
        ...(input.text === undefined ? {} : { text: input.text }),
        ...(input.annotations === undefined
          ? {}
          : {
              annotations: input.annotations.slice(0, 50).map((annotation) => ({
                path: annotation.path,
                start_line: annotation.line,
                end_line: annotation.line,
                annotation_level: 'failure' as const,
                message: annotation.message,
                ...(annotation.title === undefined ? {} : { title: annotation.title }),
              })),
            }),
      },
    });
    return { id: data.id };
  });
}
