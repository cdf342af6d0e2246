import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Indexes `oauth_clients` by `(registration, name)`: dynamic registration (RFC 7591) looks up an
 * identical earlier public client by name on every registration, and the purge finds idle dynamic
 * clients by their registration kind. Both would otherwise read the whole table.
 * @publicApi
 */
export class IndexClientsByRegistration1780001000000 implements MigrationInterface {
  name = 'IndexClientsByRegistration1780001000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'oauth_clients',
      new TableIndex({ name: 'IDX_oauth_clients_registration_name', columnNames: ['registration', 'name'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('oauth_clients', 'IDX_oauth_clients_registration_name');
  }
}
