import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const applicationType = (isNullable: boolean) => new TableColumn({ name: 'application_type', type: 'varchar', length: '16', isNullable });

/**
 * Adds `oauth_clients.application_type` (`web` or `native`, RFC 7591 §2), which decides how redirect
 * URIs match (RFC 8252 §7.3: any port on a native client's loopback IP redirect). Existing clients
 * get the default the registry gives new ones: `native` for a public client (no secret), `web` for
 * a confidential one. Written with TypeORM's schema API so each driver renders its own DDL (SQLite
 * rebuilds the table to make the column NOT NULL).
 * @publicApi
 */
export class AddClientApplicationType1780000200000 implements MigrationInterface {
  name = 'AddClientApplicationType1780000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('oauth_clients', applicationType(true));
    await queryRunner.query(`UPDATE oauth_clients SET application_type = CASE WHEN secret_hash IS NULL THEN 'native' ELSE 'web' END`);
    await queryRunner.changeColumn('oauth_clients', 'application_type', applicationType(false));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('oauth_clients', 'application_type');
  }
}
