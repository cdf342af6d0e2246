import { Table, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { isMySql, noPadBinaryCollation } from './1780000300000-binary-identifiers-on-mysql';

// Column helpers mirroring the entity exactly, so the schema builder finds nothing to change.
const varchar = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const text = (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: false });
const instant = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

/**
 * Creates `oauth_signing_keys`, the keys that sign JWT access tokens (RFC 9068) with their
 * `next → active → retired` life, shared by every instance of the server. The private key column
 * holds the key sealed under the key-encryption key, never the key itself. No index besides the
 * primary key: the table holds a handful of rows per algorithm and is read whole.
 *
 * On MySQL/MariaDB the `kid` gets the binary NO PAD collation the other identifiers have (see
 * `BinaryIdentifiersOnMySql1780000300000`): a kid is base64url, where case is significant.
 * @publicApi
 */
export class AddSigningKeys1780000700000 implements MigrationInterface {
  name = 'AddSigningKeys1780000700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'oauth_signing_keys',
        columns: [
          varchar('kid', 64, { isPrimary: true }),
          varchar('alg', 16),
          varchar('state', 16),
          text('public_jwk'),
          text('private_key'),
          instant('created_at'),
          instant('activated_at', true),
          instant('retired_at', true),
          instant('expires_at', true),
        ],
      }),
    );
    if (isMySql(queryRunner)) {
      const collation = await noPadBinaryCollation(queryRunner);
      await queryRunner.query(
        `ALTER TABLE \`oauth_signing_keys\` MODIFY \`kid\` varchar(64) CHARACTER SET utf8mb4 COLLATE ${collation} NOT NULL`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oauth_signing_keys');
  }
}
