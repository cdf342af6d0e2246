import { DataSource } from 'typeorm';
import { databaseKind } from './test-database';

/** The local PostgreSQL server the multi-instance suites fall back to. */
export const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The PostgreSQL server for suites that need one whatever DATABASE_URL says (races and database
 * faults are about a shared server): DATABASE_URL when it names PostgreSQL, else the local server
 * when it answers. Resolves `{ reason }` when there is none, for the suite to print.
 */
export async function findPostgres(): Promise<{ url: string } | { reason: string }> {
  if (databaseKind() === 'postgres') return { url: process.env.DATABASE_URL! };
  const probe = new DataSource({ type: 'postgres', url: LOCAL_POSTGRES_URL, extra: { connectionTimeoutMillis: 2000 } });
  try {
    await probe.initialize();
    await probe.destroy();
    return { url: LOCAL_POSTGRES_URL };
  } catch (error) {
    return { reason: `no PostgreSQL answers on 127.0.0.1:5432 (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * `findPostgres` for a suite: `{ url }`, or `{ skip: reason }` to hand to node:test's `describe`, so
 * a run without PostgreSQL reports the suite as skipped rather than passed. With REQUIRE_POSTGRES=1
 * (CI sets it, where the server is always there) a missing server fails the run instead.
 */
export async function postgresForSuite(): Promise<{ url: string; skip?: undefined } | { url?: undefined; skip: string }> {
  const pg = await findPostgres();
  if (!('reason' in pg)) return pg;
  if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1, but ${pg.reason}`);
  return { skip: pg.reason };
}
