import type { ValueTransformer } from 'typeorm';

/**
 * Instants are stored as epoch milliseconds in a `bigint` column. The same type exists on SQLite,
 * PostgreSQL and MariaDB, keeps millisecond precision everywhere (MariaDB's `datetime` drops it by
 * default) and cannot be shifted by a server or session time zone, which `timestamp without time zone`
 * and `datetime` can. Comparisons in the conditional UPDATEs stay plain integer comparisons.
 */
export const epochMillis: ValueTransformer = {
  to: (value: Date | null | undefined) => (value == null ? value : value.getTime()),
  // PostgreSQL and mysql2 hand bigint back as a string, better-sqlite3 as a number.
  from: (value: string | number | null) => (value == null ? null : new Date(Number(value))),
};

/**
 * Lists of scope-tokens, grant types or redirect URIs, stored space-separated: none of them can
 * contain a space (RFC 6749 §3.3 scope-token; RFC 3986 URIs), and the column reads like the wire format.
 */
export const spaceSeparated: ValueTransformer = {
  to: (value: string[] | undefined) => value?.join(' '),
  from: (value: string | null) => (value ? value.split(' ') : []),
};

/** The millisecond value of `date` as a query parameter (parameters do not go through transformers). */
export function millis(date: Date): number {
  return date.getTime();
}
