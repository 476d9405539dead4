import type { StoreDialect } from '../store-dialect.js';

/** Column types whose name differs per dialect. Every migration uses these for dates and JSON. */
export interface ColumnTypes {
  /** ISO-8601 text in SQLite (sorts like the dates it holds), `timestamptz` in PostgreSQL. */
  timestamp: 'text' | 'timestamptz';
  /** JSON text in SQLite, `jsonb` in PostgreSQL. */
  json: 'text' | 'jsonb';
}

export function columnTypes(dialect: StoreDialect): ColumnTypes {
  return dialect === 'postgres'
    ? { timestamp: 'timestamptz', json: 'jsonb' }
    : { timestamp: 'text', json: 'text' };
}
