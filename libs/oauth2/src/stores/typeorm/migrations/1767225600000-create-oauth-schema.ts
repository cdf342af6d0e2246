import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

// Column helpers mirroring the entities exactly, so the schema builder finds nothing to change.
const varchar = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  ...extra,
});
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const instant = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

/**
 * Creates the four `oauth_` tables and every index the hot paths use. Written with TypeORM's
 * schema API rather than SQL strings, so the driver renders the right DDL for SQLite, PostgreSQL and
 * MySQL/MariaDB (varchar lengths, boolean as tinyint on MySQL, quoted identifiers).
 * @publicApi
 */
export class CreateOAuthSchema1767225600000 implements MigrationInterface {
  name = 'CreateOAuthSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'oauth_clients',
        columns: [
          varchar('id', 64, { isPrimary: true }),
          varchar('name', 200),
          varchar('secret_hash', 64, { isNullable: true }),
          text('redirect_uris'),
          varchar('grant_types', 200),
          text('scopes'),
          { name: 'can_introspect', type: 'boolean' },
          instant('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oauth_authorization_codes',
        columns: [
          varchar('code_hash', 64, { isPrimary: true }),
          varchar('client_id', 64),
          varchar('user_id', 255),
          text('redirect_uri', true),
          text('scopes'),
          varchar('code_challenge', 128, { isNullable: true }),
          varchar('code_challenge_method', 8, { isNullable: true }),
          varchar('grant_id', 64),
          instant('created_at'),
          instant('expires_at'),
          instant('consumed_at', true),
          instant('replayed_at', true),
        ],
        indices: [new TableIndex({ name: 'IDX_oauth_authorization_codes_expires_at', columnNames: ['expires_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oauth_tokens',
        columns: [
          varchar('id', 64, { isPrimary: true }),
          varchar('token_hash', 64),
          varchar('kind', 16),
          varchar('client_id', 64),
          varchar('user_id', 255, { isNullable: true }),
          text('scopes'),
          varchar('grant_id', 64),
          varchar('parent_id', 64, { isNullable: true }),
          instant('created_at'),
          instant('expires_at'),
          instant('revoked_at', true),
          instant('rotated_at', true),
        ],
        indices: [
          new TableIndex({ name: 'IDX_oauth_tokens_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_oauth_tokens_grant_id', columnNames: ['grant_id'] }),
          new TableIndex({ name: 'IDX_oauth_tokens_parent_id', columnNames: ['parent_id'] }),
          new TableIndex({ name: 'IDX_oauth_tokens_user_id_client_id', columnNames: ['user_id', 'client_id'] }),
          new TableIndex({ name: 'IDX_oauth_tokens_expires_at', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oauth_consents',
        columns: [
          varchar('user_id', 255, { isPrimary: true }),
          varchar('client_id', 64, { isPrimary: true }),
          text('scopes'),
          instant('created_at'),
          instant('last_used_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['oauth_consents', 'oauth_tokens', 'oauth_authorization_codes', 'oauth_clients']) {
      await queryRunner.dropTable(table);
    }
  }
}
