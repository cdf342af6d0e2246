import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { isMySql, noPadBinaryCollation } from './1780000300000-binary-identifiers-on-mysql';

/**
 * Adds to `oauth_clients` what a developer portal needs:
 * - `owner_id` (indexed): the user who registered the client there, so a portal lists and changes
 *   only that user's apps; null for clients an operator registered;
 * - `description`: the developer's words about the app;
 * - `previous_secret_hash` and `previous_secret_expires_at`: after a rotation with an overlap, the
 *   old secret keeps authenticating the client until then.
 * All nullable: existing clients have no owner, no description and no previous secret.
 *
 * On MySQL/MariaDB `owner_id` and `previous_secret_hash` get the binary NO PAD collation of the
 * other identifiers (see `BinaryIdentifiersOnMySql1780000300000`): user "Ada" must never see the
 * apps of user "ada".
 * @publicApi
 */
export class AddClientOwnerAndSecretOverlap1780000800000 implements MigrationInterface {
  name = 'AddClientOwnerAndSecretOverlap1780000800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('oauth_clients', [
      new TableColumn({ name: 'owner_id', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'description', type: 'text', isNullable: true }),
      new TableColumn({ name: 'previous_secret_hash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'previous_secret_expires_at', type: 'bigint', isNullable: true }),
    ]);
    if (isMySql(queryRunner)) {
      const collation = await noPadBinaryCollation(queryRunner);
      await queryRunner.query(
        `ALTER TABLE \`oauth_clients\` MODIFY \`owner_id\` varchar(255) CHARACTER SET utf8mb4 COLLATE ${collation} NULL, ` +
          `MODIFY \`previous_secret_hash\` varchar(64) CHARACTER SET utf8mb4 COLLATE ${collation} NULL`,
      );
    }
    await queryRunner.createIndex('oauth_clients', new TableIndex({ name: 'IDX_oauth_clients_owner_id', columnNames: ['owner_id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('oauth_clients', 'IDX_oauth_clients_owner_id');
    for (const column of ['previous_secret_expires_at', 'previous_secret_hash', 'description', 'owner_id']) {
      await queryRunner.dropColumn('oauth_clients', column);
    }
  }
}
