import { v7 as uuidv7, validate, version } from 'uuid';

const threadIdPattern = /^T-([0-9a-f-]{36})$/;

/**
 * A new thread id, `T-<uuidv7>`. UUIDv7 starts with a millisecond timestamp, so ids sort by creation
 * time and B-tree inserts stay at the right edge of the index.
 */
export function newThreadId(): string {
  return `T-${uuidv7()}`;
}

/** Whether `value` has the shape of a thread id (`T-` and a version 7 UUID, lower case). */
export function isThreadId(value: string): boolean {
  const uuid = threadIdPattern.exec(value)?.[1];
  return uuid !== undefined && validate(uuid) && version(uuid) === 7;
}
