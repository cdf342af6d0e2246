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
