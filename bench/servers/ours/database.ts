import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';

/** The bench database of one server process, and how to remove it afterwards. */
export interface BenchDatabase {
  kind: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL. */
  location: string;
  options: DataSourceOptions;
  drop(): Promise<void>;
}

/** Where PostgreSQL runs; the bench creates and drops its own database beside this one. */
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh database: a SQLite file under bench/.tmp (WAL, as a production host would set it), or a
 * new PostgreSQL database `bench_<random>`. The schema comes from the library's migrations.
 */
export async function createBenchDatabase(kind: 'sqlite' | 'postgres', root: string, name?: string): Promise<BenchDatabase> {
  const id = name ?? `bench_${randomBytes(5).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = join(root, 'bench', '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${id}.sqlite`);
    return {
      kind,
      location: file,
      options: {
        type: 'better-sqlite3',
        database: file,
        enableWAL: true,
        // WAL with synchronous=NORMAL, as the README recommends and the sample runs: SQLite's default
        // (FULL) fsyncs every commit on the event loop. BENCH_SQLITE_SYNCHRONOUS=FULL measures that instead.
        prepareDatabase: (db: any) => db.pragma(`synchronous = ${process.env.BENCH_SQLITE_SYNCHRONOUS ?? 'NORMAL'}`),
      },
      drop: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      },
    };
  }
  const admin = new DataSource({ type: 'postgres', url: POSTGRES_URL });
  await admin.initialize();
  await admin.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${id}`);
  await admin.destroy();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${id}`;
  return {
    kind,
    location: url.toString(),
    options: { type: 'postgres', url: url.toString(), extra: { max: 10 } },
    drop: async () => {
      const cleanup = new DataSource({ type: 'postgres', url: POSTGRES_URL });
      await cleanup.initialize();
      await cleanup.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
      await cleanup.destroy();
    },
  };
}

/** Setup only, never measured: how many rows the token table holds, so a proof can tell what issuance wrote. */
@Controller('bench')
export class TokenRowsController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('token-rows')
  async count(): Promise<{ rows: number }> {
    const [row] = (await this.dataSource.query('SELECT COUNT(*) AS n FROM oauth_tokens')) as { n: number | string }[];
    return { rows: Number(row?.n) };
  }
}
