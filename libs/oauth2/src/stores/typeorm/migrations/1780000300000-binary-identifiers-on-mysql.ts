import type { MigrationInterface, QueryRunner } from 'typeorm';

/** [column, varchar length, nullable] of every identifier or hash column, by table. */
const IDENTIFIER_COLUMNS: Record<string, [string, number, boolean][]> = {
  oauth_clients: [
    ['id', 64, false],
    ['secret_hash', 64, true],
  ],
  oauth_authorization_codes: [
    ['code_hash', 64, false],
    ['client_id', 64, false],
    ['user_id', 255, false],
    ['grant_id', 64, false],
    ['code_challenge', 128, true],
  ],
  oauth_tokens: [
    ['id', 64, false],
    ['token_hash', 64, false],
    ['client_id', 64, false],
    ['user_id', 255, true],
    ['grant_id', 64, false],
    ['parent_id', 64, true],
  ],
  oauth_consents: [
    ['user_id', 255, false],
    ['client_id', 64, false],
  ],
};

/** Binary collations that also compare trailing spaces (NO PAD): MySQL 8.0.17+, then MariaDB 10.2+. */
const NO_PAD_BINARY = ['utf8mb4_0900_bin', 'utf8mb4_nopad_bin'];

/**
 * On MySQL/MariaDB, makes every identifier and hash column of the `oauth_` tables compare byte for
 * byte. Their default collations ignore case (`…_ci`) and, with PAD SPACE, trailing spaces, so
 * `ABC` or `abc ` found the row of client `abc` while counting in a rate-limit bucket of its own.
 * A NO PAD binary collation makes such a variant an unknown client, code or token, as it already is
 * on SQLite (BINARY) and PostgreSQL (deterministic collations, trailing spaces significant in varchar).
 * Nothing to do on other databases. TypeORM has no per-database collation option on an entity
 * column (it writes `COLLATE` for every driver), and its MySQL schema comparison ignores collations,
 * so the entities leave this to the migration. `down` returns the columns to the table's default.
 * @publicApi
 */
export class BinaryIdentifiersOnMySql1780000300000 implements MigrationInterface {
  name = 'BinaryIdentifiersOnMySql1780000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (!isMySql(queryRunner)) return;
    await alterIdentifierColumns(queryRunner, `CHARACTER SET utf8mb4 COLLATE ${await noPadBinaryCollation(queryRunner)}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (!isMySql(queryRunner)) return;
    await alterIdentifierColumns(queryRunner, '');
  }
}

/** The first binary NO PAD collation the MySQL/MariaDB server has; later migrations use it for new identifier columns. */
export async function noPadBinaryCollation(queryRunner: QueryRunner): Promise<string> {
  const found = (await queryRunner.query(
    `SELECT COLLATION_NAME AS name FROM INFORMATION_SCHEMA.COLLATIONS WHERE COLLATION_NAME IN (${NO_PAD_BINARY.map(() => '?').join(', ')})`,
    NO_PAD_BINARY,
  )) as { name: string }[];
  const collation = NO_PAD_BINARY.find((name) => found.some((row) => row.name === name));
  if (!collation) {
    throw new Error(`The oauth_ tables need a binary NO PAD collation (${NO_PAD_BINARY.join(' or ')}): use MySQL 8.0.17+ or MariaDB 10.2+`);
  }
  return collation;
}

export function isMySql(queryRunner: QueryRunner): boolean {
  const type = queryRunner.connection.options.type;
  return type === 'mysql' || type === 'mariadb';
}

/** One ALTER TABLE per table, re-declaring each column as it is, plus `charset` (empty: the table's default). */
async function alterIdentifierColumns(queryRunner: QueryRunner, charset: string): Promise<void> {
  for (const [table, columns] of Object.entries(IDENTIFIER_COLUMNS)) {
    const modify = columns.map(
      ([name, length, nullable]) =>
        `MODIFY \`${name}\` varchar(${length})${charset ? ` ${charset}` : ''} ${nullable ? 'NULL' : 'NOT NULL'}`,
    );
    await queryRunner.query(`ALTER TABLE \`${table}\` ${modify.join(', ')}`);
  }
}
