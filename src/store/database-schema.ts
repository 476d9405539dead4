/**
 * The tables as Kysely sees them. Dates and JSON are stored differently per dialect (SQLite: ISO text
 * and JSON text; PostgreSQL: timestamptz and jsonb), so their column types admit both shapes and every
 * value passes through a `ValueCodec` on its way in and out.
 */

/** A date column: ISO-8601 text in SQLite, `timestamptz` (a `Date` from pg) in PostgreSQL. */
export type StoredDate = string | Date;

/** A JSON column: text in SQLite, `jsonb` (parsed by pg) in PostgreSQL. Written as JSON text. */
export type StoredJson = string | Record<string, unknown>;

export interface RequestsTable {
  delivery_id: string;
  source: string;
  kind: string;
  status: string;
  job_id: string | null;
  reason: string | null;
  created_at: StoredDate;
  updated_at: StoredDate;
}

export interface RunsTable {
  id: string;
  job_id: string;
  job_name: string;
  delivery_id: string | null;
  status: string;
  attempts: number;
  progress: StoredJson;
  result: StoredJson | null;
  error: string | null;
  created_at: StoredDate;
  updated_at: StoredDate;
  started_at: StoredDate | null;
  finished_at: StoredDate | null;
}

/** Every table of the store. Later issues add their tables here (see specs/store.md). */
export interface LoomDatabase {
  requests: RequestsTable;
  runs: RunsTable;
}
