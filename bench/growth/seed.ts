import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';

/** Live and expired rows to add to `oauth_tokens` beside the 1,000 the server seeded through its API. */
export interface GrowthRows {
  live: number;
  expired: number;
}

const DAY = 24 * 3600_000;

/**
 * Bulk-seeds `oauth_tokens` straight through SQL (two million rows through the store API one by one
 * would take the better part of an hour). Rows are shaped exactly as `TypeOrmTokenStore` writes them:
 * instants in epoch milliseconds, scopes space-separated, random SHA-256-sized hashes.
 */
export async function seedTokenRows(database: { kind: 'sqlite' | 'postgres'; location: string }, rows: GrowthRows): Promise<number> {
  const started = Date.now();
  if (database.kind === 'sqlite') seedSqlite(database.location, rows);
  else await seedPostgres(database.location, rows);
  return Date.now() - started;
}

function seedSqlite(file: string, rows: GrowthRows): void {
  const db = new Database(file, { timeout: 30_000 });
  db.pragma('journal_mode = WAL');
  // Setup only: a large page cache for the random-key index inserts, and no fsync per chunk.
  db.pragma('cache_size = -262144');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO oauth_tokens (id, token_hash, kind, client_id, user_id, scopes, resources, grant_id, parent_id, created_at, expires_at, revoked_at, rotated_at)
     VALUES (?, ?, 'access', 'bench-web', ?, 'profile', '[]', ?, NULL, ?, ?, NULL, NULL)`,
  );
  const now = Date.now();
  const chunk = db.transaction((from: number, to: number, expired: boolean) => {
    for (let i = from; i < to; i++) {
      const id = `${expired ? 'x' : 'l'}${i}`;
      insert.run(id, randomBytes(32).toString('hex'), `user-${i % 10_000}`, `g${id}`, now - 2 * DAY, expired ? now - DAY : now + DAY);
    }
  });
  for (const [count, expired] of [
    [rows.live, false],
    [rows.expired, true],
  ] as const) {
    for (let from = 0; from < count; from += 50_000) chunk(from, Math.min(from + 50_000, count), expired);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function seedPostgres(url: string, rows: GrowthRows): Promise<void> {
  const specifier = 'pg'; // untyped: loaded as any
  const { Client } = (await import(specifier)) as { Client: any };
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const now = Date.now();
    for (const [count, expired] of [
      [rows.live, false],
      [rows.expired, true],
    ] as const) {
      const prefix = expired ? 'x' : 'l';
      for (let from = 0; from < count; from += 250_000) {
        await client.query(
          `INSERT INTO oauth_tokens (id, token_hash, kind, client_id, user_id, scopes, resources, grant_id, parent_id, created_at, expires_at, revoked_at, rotated_at)
           SELECT $1 || i, md5(random()::text || i) || md5(i::text || random()::text), 'access', 'bench-web', 'user-' || (i % 10000),
                  'profile', '[]', 'g' || $1 || i, NULL, $2::bigint, $3::bigint, NULL, NULL
           FROM generate_series($4::int, $5::int) AS i`,
          [prefix, now - 2 * DAY, expired ? now - DAY : now + DAY, from, Math.min(from + 250_000, count) - 1],
        );
      }
    }
    // What autovacuum and the checkpointer would have done long before a table reached two million
    // rows: without it, the first reads of fresh rows set their hint bits and dirty the pages, and
    // the grown figure would measure that write-back instead of the lookup.
    await client.query('VACUUM (ANALYZE) oauth_tokens');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}
