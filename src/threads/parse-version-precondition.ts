import { LoomError } from '../errors/index.js';

/** What a `PUT` asks for: create a new thread, or replace the one at a given version. */
export type VersionPrecondition = { kind: 'create' } | { kind: 'replace'; version: number };

const entityTag = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/;

/**
 * Reads `If-Match: "<version>"` (replace that version) or `If-None-Match: *` (create). A `PUT`
 * without either is refused: writing blind would silently drop someone else's changes.
 */
export function parseVersionPrecondition(
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
): VersionPrecondition {
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw new LoomError('invalid_input', 'send either If-Match or If-None-Match, not both');
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw new LoomError('invalid_input', 'If-None-Match must be *');
    return { kind: 'create' };
  }
  if (ifMatch === undefined) {
    throw new LoomError(
      'invalid_input',
      'PUT needs If-Match: "<version>" (replace) or If-None-Match: * (create)',
    );
  }
  const version = Number(entityTag.exec(ifMatch)?.[1]);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new LoomError('invalid_input', 'If-Match must be a thread version, e.g. "3"');
  }
  return { kind: 'replace', version };
}

/** The `ETag` of a thread version. */
export function versionTag(version: number): string {
  return `"${version}"`;
}
