import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const list = (name: string, isNullable: boolean) => new TableColumn({ name, type: 'text', isNullable });

/**
 * Adds the resource indicators (RFC 8707): `oauth_clients.resources` (a JSON array, null = every
 * configured resource) and `oauth_clients.default_resource` (null = the server's default), and the
 * JSON arrays `oauth_authorization_codes.resources` and `oauth_tokens.resources` (a grant's resources,
 * an access token's audience) and `oauth_consents.resources` (the approved ones). Existing clients get
 * null for both, existing codes and tokens an empty list: they were issued without an audience and
 * keep meaning exactly that; existing consents an empty list, so they cover no resource and a request
 * naming one asks the user again. The lists are added
 * nullable, filled, then made NOT NULL (a `text` column takes no default on every MariaDB), so this
 * works on tables that already hold rows; TypeORM's schema API renders each driver's DDL.
 * @publicApi
 */
export class AddResourceIndicators1780000500000 implements MigrationInterface {
  name = 'AddResourceIndicators1780000500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('oauth_clients', [list('resources', true), list('default_resource', true)]);
    for (const table of ['oauth_authorization_codes', 'oauth_tokens', 'oauth_consents']) {
      await queryRunner.addColumn(table, list('resources', true));
      await queryRunner.query(`UPDATE ${queryRunner.connection.driver.escape(table)} SET resources = '[]'`);
      await queryRunner.changeColumn(table, 'resources', list('resources', false));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('oauth_consents', 'resources');
    await queryRunner.dropColumn('oauth_tokens', 'resources');
    await queryRunner.dropColumn('oauth_authorization_codes', 'resources');
    await queryRunner.dropColumns('oauth_clients', ['default_resource', 'resources']);
  }
}
