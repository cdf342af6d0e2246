import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { OAuthAuthorizationCodeEntity } from '../stores/typeorm/oauth-authorization-code.entity';
import { OAuthClientEntity } from '../stores/typeorm/oauth-client.entity';
import { OAUTH_ENTITIES, OAUTH_MIGRATIONS } from '../stores/typeorm/oauth-entities';
import { OAuthTokenEntity } from '../stores/typeorm/oauth-token.entity';
import { TypeOrmClientStore } from '../stores/typeorm/typeorm-client.store';
import { TypeOrmCodeStore } from '../stores/typeorm/typeorm-code.store';
import { TypeOrmTokenStore } from '../stores/typeorm/typeorm-token.store';
import { defaultKeyEncryptionKeyFile } from '../stores/typeorm/default-key-encryption-key-file';
import { OAuthSigningKeyEntity } from '../stores/typeorm/oauth-signing-key.entity';
import { TypeOrmSigningKeyStore } from '../stores/typeorm/typeorm-signing-key.store';
import { UsageError } from './cli-args';
import { runMigrationsLocked } from '../stores/typeorm/migration-lock';

/** Where the CLI finds the database, from its options and the environment. */
export interface DatabaseChoice {
  /** A module exporting a TypeORM DataSource (`--data-source`). */
  dataSourceFile?: string;
  /** DATABASE_URL, used when there is no data source module. */
  url?: string;
  /** Apply pending migrations first (`--migrate`). */
  migrate: boolean;
  /** The command reads or writes signing keys, so their table must exist too. */
  signingKeys?: boolean;
}

/** The host's database, opened, with the stores the commands use. */
export interface OpenDatabase {
  clients: TypeOrmClientStore;
  tokens: TypeOrmTokenStore;
  codes: TypeOrmCodeStore;
  /** Undefined when the data source lacks the entity (an older entity list): the key commands refuse it. */
  signingKeys: TypeOrmSigningKeyStore | undefined;
  /** Where the server keeps a generated key-encryption key for this database (SQLite files only). */
  keyEncryptionKeyFile: string | undefined;
  /** The initial access tokens (RFC 7591 §3) in `oauth_tokens`, newest first; never their hashes. */
  listInitialAccessTokens(): Promise<InitialAccessTokenRow[]>;
  close(): Promise<void>;
}

/** What `registration-tokens list` shows of an initial access token. */
export interface InitialAccessTokenRow {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** The npm package TypeORM loads for each database type: the host's dependency, not ours. */
const DRIVERS: Record<string, string> = { 'better-sqlite3': 'better-sqlite3', postgres: 'pg', mysql: 'mysql2', mariadb: 'mysql2' };

/** Opens the database, refusing one without the OAuth tables unless asked to migrate it. */
export async function openDatabase(choice: DatabaseChoice): Promise<OpenDatabase> {
  const dataSource = choice.dataSourceFile ? await importDataSource(choice.dataSourceFile) : fromUrl(choice.url, choice.migrate);
  const migrate = choice.migrate || dataSource.options.migrationsRun === true;
  if (!dataSource.isInitialized) {
    requireDriver(dataSource.options.type);
    // Its migrations run below, under a lock, rather than unguarded inside initialize().
    dataSource.setOptions({ migrationsRun: false });
    await dataSource.initialize();
  }
  try {
    if (!dataSource.hasMetadata(OAuthClientEntity)) {
      throw new Error(
        'the data source does not include the OAuth entities: add OAUTH_ENTITIES from nest-oauth2-provider/typeorm to its entities',
      );
    }
    if (migrate) await runMigrationsLocked(dataSource);
    await requireTables(dataSource, choice.signingKeys ?? false);
    return {
      clients: new TypeOrmClientStore(dataSource.getRepository(OAuthClientEntity)),
      tokens: new TypeOrmTokenStore(dataSource.getRepository(OAuthTokenEntity)),
      codes: new TypeOrmCodeStore(dataSource.getRepository(OAuthAuthorizationCodeEntity)),
      signingKeys: dataSource.hasMetadata(OAuthSigningKeyEntity)
        ? new TypeOrmSigningKeyStore(dataSource.getRepository(OAuthSigningKeyEntity))
        : undefined,
      keyEncryptionKeyFile: defaultKeyEncryptionKeyFile(dataSource.options),
      listInitialAccessTokens: async () =>
        (
          await dataSource
            .getRepository(OAuthTokenEntity)
            .find({ where: { kind: 'initial_access' }, order: { createdAt: 'DESC', id: 'DESC' } })
        ).map(({ id, createdAt, expiresAt, revokedAt }) => ({ id, createdAt, expiresAt, revokedAt })),
      close: () => dataSource.destroy(),
    };
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

/**
 * A data source for DATABASE_URL with the library's entities and migrations: `sqlite:<path>`
 * (relative to the working directory), `postgres://…` / `postgresql://…`, `mysql://…` / `mariadb://…`.
 */
export function fromUrl(url: string | undefined, migrate: boolean): DataSource {
  const target = url?.trim();
  if (!target) throw new UsageError('no database: set DATABASE_URL (sqlite:<path>, postgres://…, mysql://…) or pass --data-source FILE');
  return new DataSource(dataSourceOptionsFromUrl(target, migrate));
}

function dataSourceOptionsFromUrl(target: string, migrate: boolean): DataSourceOptions {
  const schema = { entities: [...OAUTH_ENTITIES], migrations: [...OAUTH_MIGRATIONS] };
  if (target.startsWith('sqlite:')) {
    const path = target.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new UsageError('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:data/app.sqlite');
    const file = resolve(path);
    // Opening a missing file would create an empty one: only --migrate may bring a database into being.
    if (!migrate && !existsSync(file)) {
      throw new Error(`DATABASE_URL: there is no SQLite database at ${file} (run your migrations first, or pass --migrate)`);
    }
    mkdirSync(dirname(file), { recursive: true });
    return { type: 'better-sqlite3', database: file, ...schema };
  }
  if (/^postgres(ql)?:\/\//.test(target)) return { type: 'postgres', url: target, ...schema };
  if (target.startsWith('mysql://')) return { type: 'mysql', url: target, ...schema };
  // TypeORM's URL parser expects mysql://; MariaDB speaks the same protocol through the same driver.
  if (target.startsWith('mariadb://')) return { type: 'mariadb', url: target.replace(/^mariadb:/, 'mysql:'), ...schema };
  throw new UsageError(`DATABASE_URL: expected sqlite:<path>, postgres://… or mysql://… (got "${target.split(':')[0]}:…")`);
}

/** The driver is the host's dependency: say which package to install rather than fail inside TypeORM. */
function requireDriver(type: string): void {
  const driver = DRIVERS[type];
  if (!driver) return;
  for (const paths of [[process.cwd()], undefined]) {
    try {
      require.resolve(driver, paths && { paths });
      return;
    } catch {
      // Not found from here: try the next place.
    }
  }
  throw new Error(`the ${type} database needs the "${driver}" package: npm install ${driver}`);
}

async function requireTables(dataSource: DataSource, signingKeys: boolean): Promise<void> {
  const runner = dataSource.createQueryRunner();
  let missing: string | undefined;
  try {
    if (!(await runner.hasTable(dataSource.getMetadata(OAuthClientEntity).tablePath))) missing = 'has no OAuth tables';
    else if (signingKeys && !dataSource.hasMetadata(OAuthSigningKeyEntity)) {
      throw new Error(
        'the data source does not include the signing key entity: take OAUTH_ENTITIES from nest-oauth2-provider/typeorm whole',
      );
    } else if (signingKeys && !(await runner.hasTable(dataSource.getMetadata(OAuthSigningKeyEntity).tablePath))) {
      missing = 'has no signing key table yet';
    }
  } finally {
    await runner.release();
  }
  if (!missing) return;
  throw new Error(`the database ${missing}: run your migrations (OAUTH_MIGRATIONS from nest-oauth2-provider/typeorm), or pass --migrate`);
}

/** The TypeORM DataSource a module exports (like the typeorm CLI's `-d`), under any name. */
async function importDataSource(file: string): Promise<DataSource> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--data-source ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const exports = module.default && typeof module.default === 'object' ? Object.values(module.default) : [];
  const found = [module.default, ...Object.values(module), ...exports].find(isDataSource);
  if (!found) throw new UsageError(`--data-source ${file}: the module exports no TypeORM DataSource`);
  return found;
}

function isDataSource(value: unknown): value is DataSource {
  return (
    value instanceof DataSource ||
    (!!value && typeof value === 'object' && 'initialize' in value && 'options' in value && 'hasMetadata' in value)
  );
}
