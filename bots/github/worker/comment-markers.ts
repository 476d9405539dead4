/**
 * Hidden markers in the comments Loom writes. They make posting idempotent beyond the journal: a
 * retry that lost the journal entry finds its own comment by marker instead of posting a second one
 * (RELIABILITY 27), and the steering poll can tell Loom's comments from people's.
 */

export type CommentKind = 'tracking' | 'final' | 'refusal' | 'status';

export function commentMarker(kind: CommentKind, runId: string): string {
  return `<!-- loom:${kind}:${runId} -->`;
}

export function hasCommentMarker(body: string, kind: CommentKind, runId: string): boolean {
  return body.includes(commentMarker(kind, runId));
}

/** True for any comment Loom wrote (whatever its run). */
export function isLoomComment(body: string): boolean {
  return /<!-- loom:(tracking|final|refusal):[^ ]+ -->/.test(body);
}
