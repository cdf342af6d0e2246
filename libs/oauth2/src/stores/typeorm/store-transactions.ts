import type { DataSource, DeleteResult, EntityManager, UpdateResult } from 'typeorm';

const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/** True for the embedded drivers, which run every query on one shared connection. */
export function isSqlite(dataSource: DataSource): boolean {
  return ['better-sqlite3', 'sqlite', 'sqljs', 'capacitor', 'cordova', 'expo', 'nativescript', 'react-native'].includes(
    dataSource.options.type,
  );
}

/**
 * Runs `work` in one transaction. PostgreSQL and MariaDB give each transaction its own pooled
 * connection, and their row locks order concurrent writers. TypeORM's SQLite drivers share ONE
 * connection, so two interleaved transactions would nest as savepoints of each other (and a
 * statement of one would commit or roll back with the other): there, store writes are queued
 * per DataSource so each runs alone, which is what SQLite's single writer does anyway.
 */
export function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  return serialized(dataSource, () => dataSource.transaction(work));
}

/** Runs a single write statement, queued behind any open store transaction on SQLite (see `inTransaction`). */
export function serialized<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (!isSqlite(dataSource)) return work();
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const next = previous.then(work, work);
  sqliteQueues.set(
    dataSource,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * How many rows an UPDATE or DELETE changed. Every driver we support reports it (better-sqlite3
 * `changes`, pg `rowCount`, mysql2 `affectedRows`); the conditional writes decide races with this
 * number, so a driver that does not report it must fail loudly rather than guess.
 */
export function affectedRows(result: UpdateResult | DeleteResult): number {
  if (typeof result.affected !== 'number') throw new Error('The database driver did not report the affected row count');
  return result.affected;
}
