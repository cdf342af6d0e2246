import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const uri = (name: string) => new TableColumn({ name, type: 'text', isNullable: true });

/**
 * Adds `oauth_clients.logo_uri` and `oauth_clients.client_uri` (RFC 7591 §2), the client's logo for
 * the consent page and its home page as the way back from an error page. Both nullable: existing
 * clients have neither, and the pages show none.
 * @publicApi
 */
export class AddClientLogoAndHomePage1780000600000 implements MigrationInterface {
  name = 'AddClientLogoAndHomePage1780000600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('oauth_clients', [uri('logo_uri'), uri('client_uri')]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('oauth_clients', 'client_uri');
    await queryRunner.dropColumn('oauth_clients', 'logo_uri');
  }
}
