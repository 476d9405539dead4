import type { z } from 'zod';
import { LoomError } from '../errors/index.js';

export const defaultPageLimit = 20;
export const maxPageLimit = 100;

/** Opaque paging cursors: base64url JSON, validated on the way back in. */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; anything else is `invalid_input`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw invalidCursor();
  return result.data;
}

/** The page size asked for, within 1..100 (20 by default). */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return defaultPageLimit;
  return Math.min(Math.max(Math.trunc(limit), 1), maxPageLimit);
}

function invalidCursor(): LoomError {
  return new LoomError('invalid_input', 'invalid paging cursor');
}
