/**
 * Writes Loom's comment of one kind for one run exactly once: it edits the comment the journal
 * knows, else the one carrying the run's marker (a retry that lost its journal entry), and creates a
 * new comment only when neither exists (RELIABILITY 27: retries never duplicate comments).
 */
import { isLoomError } from '../../../src/errors/index.js';
import { commentMarker, hasCommentMarker, type CommentKind } from './comment-markers.js';
import type { GithubInstallationClient, RepositoryName } from './github-worker-api.js';

export interface EnsureCommentInput {
  client: GithubInstallationClient;
  repository: RepositoryName;
  issueNumber: number;
  kind: CommentKind;
  runId: string;
  /** The whole body; it must contain the run's marker of `kind`. */
  body: string;
  /** The comment id from the journal, when there is one. */
  knownId?: number;
}

/** Returns the id of the comment that now holds `body`. */
export async function ensureComment(input: EnsureCommentInput): Promise<number> {
  const { client, repository } = input;
  if (!input.body.includes(commentMarker(input.kind, input.runId))) {
    throw new Error(`a ${input.kind} comment body must carry its marker`);
  }
  if (input.knownId !== undefined) {
    try {
      await client.updateComment(repository, input.knownId, input.body);
      return input.knownId;
    } catch (error) {
      // Someone deleted it: fall through and post a new one rather than end without a report.
      if (!isLoomError(error, 'not_found')) throw error;
    }
  }
  const comments = await client.listComments(repository, input.issueNumber);
  const existing = comments.find((comment) => hasCommentMarker(comment.body, input.kind, input.runId));
  if (existing !== undefined) {
    await client.updateComment(repository, existing.id, input.body);
    return existing.id;
  }
  return (await client.createComment(repository, input.issueNumber, input.body)).id;
}
