/**
 * Design note: a module-global write queue per SQLite DataSource.
 *
 * Why: TypeORM's SQLite drivers run every query runner on the driver's one connection, so two store
 * transactions that interleave would nest as savepoints of each other, and a statement of one would
 * commit or roll back with the other. The stores therefore queue their writes per DataSource (a
 * WeakMap keyed by it, so the queue goes when the DataSource does); SQLite has one writer anyway.
 * PostgreSQL and MariaDB give each transaction its own pooled connection and need no queue.
 *
 * What it relies on (checked by `store-transactions.spec.ts` on every database kind): query runners
 * on SQLite share one connection, pooled drivers hand out distinct ones, and every writer on the
 * DataSource goes through `inTransaction`/`serialized` (a host's own write on the same SQLite
 * DataSource bypasses the queue and may join a store transaction). What breaks it: a TypeORM release
 * that pools SQLite connections (the queue would then only cost throughput), or a store that writes
 * outside these helpers.
 */
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
