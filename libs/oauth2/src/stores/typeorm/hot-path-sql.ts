/**
 * Design note: hand-written SQL on the hot path, beside TypeORM rather than through it.
 *
 * Why: the bearer lookup, the client lookup and the insert of issued tokens run on nearly every
 * request, and building their SQL with TypeORM's query builder cost about as much as the database
 * running it. So these few statements are written once, and on better-sqlite3 prepared once.
 *
 * What it relies on, beyond TypeORM's public API (checked by `hot-path-sql.spec.ts` on every
 * database kind, so an upgrade that changes it fails there first):
 * - `driver.databaseConnection` on better-sqlite3 is the one `Database` every query runner shares,
 *   with `prepare()` and an `inTransaction` flag that is true while a TypeORM transaction is open;
 * - `DataSource.query` on PostgreSQL takes `$1…` placeholders and on MySQL/MariaDB `?`;
 * - `driver.escape` and `metadata.tablePath` give the table name as TypeORM writes it;
 * - `dataSource.logger.logQuery/logQueryError` exist, so the statements are logged like TypeORM's.
 * What breaks it: a TypeORM release that renames or pools `databaseConnection`, or changes how raw
 * queries take parameters. Escape hatch: `OAuthModule.forRoot({ typeorm: { hotPathSql: false } })`
 * (or `new TypeOrmTokenStore(repository, { hotPathSql: false })`) runs these statements through
 * TypeORM's repositories instead; the store contract suites run in both modes.
 */
import type { DataSource, ObjectLiteral, Repository } from 'typeorm';
import type { TypeOrmStoreOptions } from './typeorm-store-options';
import { serialized } from './store-transactions';

/** The hot-path SQL for a store, or undefined when the options turn it off. */
export function hotPathSql(dataSource: DataSource, options: TypeOrmStoreOptions | undefined): HotPathSql | undefined {
  return options?.hotPathSql === false ? undefined : new HotPathSql(dataSource);
}

/** The slice of a better-sqlite3 `Database` the hot path uses. */
interface SqliteDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): { all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
}

type Prepared = ReturnType<SqliteDatabase['prepare']>;

/**
 * Runs the few statements every request makes (the bearer lookup, the client lookup, the insert of
 * issued tokens) as fixed SQL, written once per store instead of rebuilt by TypeORM's query builder
 * on every call: building that SQL cost about as much as the database running it.
 *
 * - SQL is written with `?` placeholders and rewritten once to `$1…` for PostgreSQL.
 * - On better-sqlite3 each statement is prepared once and run directly on the driver's connection.
 *   A write runs at once only when no transaction is open on that shared connection; otherwise it
 *   queues behind the store transactions (`serialized`), so it never joins, or rolls back with,
 *   another caller's transaction.
 * - Elsewhere it goes through `DataSource.query` on a pooled connection in autocommit, so each
 *   statement is atomic on its own, and a multi-row INSERT writes every row or none.
 * - Every statement goes to TypeORM's query logger, as its own queries do (parameters hold hashes, never tokens).
 */
export class HotPathSql {
  private readonly betterSqlite: boolean;
  /** The connection the statements were prepared on: a re-initialized DataSource opens another. */
  private preparedOn: SqliteDatabase | undefined;
  private readonly statements = new Map<string, Prepared>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {
    this.betterSqlite = dataSource.options.type === 'better-sqlite3';
  }

  /** The escaped table name of an entity, as the host configured it (schema, `entityPrefix`). */
  table(repository: Repository<ObjectLiteral>): string {
    return repository.metadata.tablePath
      .split('.')
      .map((part) => this.dataSource.driver.escape(part))
      .join('.');
  }

  /** Rows of a SELECT. */
  async select<T>(sql: string, params: unknown[]): Promise<T[]> {
    const sqlite = this.sqlite();
    if (sqlite) return this.logged(sql, params, () => this.prepared(sqlite, sql).all(...params) as T[]);
    return this.dataSource.query(this.text(sql), params);
  }

  /** One INSERT, UPDATE or DELETE statement. */
  async write(sql: string, params: unknown[]): Promise<void> {
    const sqlite = this.sqlite();
    if (!sqlite) {
      await this.dataSource.query(this.text(sql), params);
      return;
    }
    const run = () => void this.logged(sql, params, () => this.prepared(sqlite, sql).run(...params));
    if (!sqlite.inTransaction) return run();
    await serialized(this.dataSource, async () => run());
  }

  /** Runs a statement on the driver with TypeORM's query logging, as `DataSource.query` would. */
  private logged<T>(sql: string, params: unknown[], run: () => T): T {
    this.dataSource.logger.logQuery(sql, params);
    try {
      return run();
    } catch (error) {
      this.dataSource.logger.logQueryError(error as Error, sql, params);
      throw error;
    }
  }

  private sqlite(): SqliteDatabase | undefined {
    return this.betterSqlite ? (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection : undefined;
  }

  private prepared(sqlite: SqliteDatabase, sql: string): Prepared {
    if (this.preparedOn !== sqlite) {
      this.statements.clear();
      this.preparedOn = sqlite;
    }
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private text(sql: string): string {
    let text = this.texts.get(sql);
    if (text === undefined) {
      let n = 0;
      text = this.dataSource.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
      this.texts.set(sql, text);
    }
    return text;
  }
}
