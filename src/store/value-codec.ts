import type { StoredDate, StoredJson } from './database-schema.js';

/**
 * The dialect-specific half of reading and writing values, so the repositories stay one
 * implementation for both adapters.
 */
export interface ValueCodec {
  encodeDate(value: Date): StoredDate;
  decodeDate(value: StoredDate): Date;
  encodeJson(value: Record<string, unknown>): string;
  decodeJson(value: StoredJson): Record<string, unknown>;
}

/** SQLite has no date or JSON type: ISO-8601 text (which sorts like the dates) and JSON text. */
export const sqliteCodec: ValueCodec = {
  encodeDate: (value) => value.toISOString(),
  decodeDate: (value) => new Date(value),
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: (value) => (typeof value === 'string' ? parseObject(value) : value),
};

/** pg returns `timestamptz` as `Date` and `jsonb` parsed; JSON goes in as text, which jsonb parses. */
export const postgresCodec: ValueCodec = {
  encodeDate: (value) => value,
  decodeDate: (value) => (value instanceof Date ? value : new Date(value)),
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: (value) => (typeof value === 'string' ? parseObject(value) : value),
};

function parseObject(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}
