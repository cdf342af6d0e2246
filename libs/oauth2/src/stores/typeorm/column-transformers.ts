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
 * Lists of scope-tokens or grant types, stored space-separated: neither can contain a space
 * (RFC 6749 §3.3 scope-token; the grant types are fixed names), and the column reads like the wire format.
 */
export const spaceSeparated: ValueTransformer = {
  to: (value: string[] | undefined) => value?.join(' '),
  from: (value: string | null) => (value ? value.split(' ') : []),
};

/**
 * Lists stored as a JSON array of strings: redirect URIs and resource indicators. A space-separated
 * column once read one registered value with a space in it back as two URIs, the second never checked
 * against the registration rules; JSON keeps every list exactly as saved, as the in-memory store does.
 */
export const jsonStringList = jsonListOf('oauth_clients.redirect_uris');

/** A JSON list column (see `jsonStringList`); `column` names it in the error a malformed value raises. */
export function jsonListOf(column: string): ValueTransformer {
  return {
    to: (value: string[] | undefined) => (value === undefined ? value : JSON.stringify(value)),
    from: (value: string | null) => parseStringList(value, column),
  };
}

/**
 * A JSON list column that may hold null: `oauth_clients.resources`, where null means "every configured
 * resource", which an empty list ("none") must never be mistaken for.
 */
export const nullableJsonStringList = nullableJsonListOf('oauth_clients.resources');

/** A JSON list column that may hold null (see `nullableJsonStringList`); `column` names it in errors. */
export function nullableJsonListOf(column: string): ValueTransformer {
  return {
    to: (value: string[] | null | undefined) => (value == null ? value : JSON.stringify(value)),
    from: (value: string | null) => (value === null ? null : parseStringList(value, column)),
  };
}

/** The list in a JSON column; a value that is not a JSON array of strings is a schema error, not an empty list. */
export function parseStringList(value: string | null, column = 'oauth_clients.redirect_uris'): string[] {
  if (value === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new Error(`${column} does not hold a JSON array of strings: run the pending migrations`);
  }
  return parsed;
}

/** The millisecond value of `date` as a query parameter (parameters do not go through transformers). */
export function millis(date: Date): number {
  return date.getTime();
}
