import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { isMySql, noPadBinaryCollation } from './1780000300000-binary-identifiers-on-mysql';

/** Every client id column: 255 characters, for a client id that is an https URL. */
const CLIENT_ID_COLUMNS: [table: string, column: string][] = [
  ['oauth_clients', 'id'],
  ['oauth_authorization_codes', 'client_id'],
  ['oauth_tokens', 'client_id'],
  ['oauth_consents', 'client_id'],
];

/**
 * Adds to `oauth_clients` what self-registered clients need:
 * - `registration`: how the client was registered (`operator`, `developer`, `dynamic` or `url`),
 *   shown on the consent page; existing clients with an owner become `developer`, the rest `operator`;
 * - `registration_access_token_hash`, `software_id`, `software_version`: RFC 7591/7592 dynamic
 *   registration and its management;
 * - `last_used_at`: when the client last got a code or token, so unused dynamic clients can go;
 * - `metadata_expires_at`: until when a fetched Client ID Metadata Document may be used.
 * And widens every client id to 255 characters, since a Client ID Metadata Document's client id is
 * its URL. On MySQL/MariaDB the identifier columns keep (or get) the binary NO PAD collation of
 * `BinaryIdentifiersOnMySql1780000300000`. `down` narrows the ids back to 64 characters, which
 * fails while a longer one is stored: delete those clients first.
 * @publicApi
 */
export class AddClientRegistrationKinds1780000900000 implements MigrationInterface {
  name = 'AddClientRegistrationKinds1780000900000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('oauth_clients', [
      new TableColumn({ name: 'registration', type: 'varchar', length: '16', default: "'operator'" }),
      new TableColumn({ name: 'registration_access_token_hash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'software_id', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'software_version', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'last_used_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'metadata_expires_at', type: 'bigint', isNullable: true }),
    ]);
    await queryRunner.query(`UPDATE oauth_clients SET registration = 'developer' WHERE owner_id IS NOT NULL`);
    await resizeClientIds(queryRunner, 255);
    if (isMySql(queryRunner)) {
      const collation = await noPadBinaryCollation(queryRunner);
      await queryRunner.query(
        `ALTER TABLE \`oauth_clients\` MODIFY \`registration_access_token_hash\` varchar(64) CHARACTER SET utf8mb4 COLLATE ${collation} NULL`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await resizeClientIds(queryRunner, 64);
    for (const column of [
      'metadata_expires_at',
      'last_used_at',
      'software_version',
      'software_id',
      'registration_access_token_hash',
      'registration',
    ]) {
      await queryRunner.dropColumn('oauth_clients', column);
    }
  }
}

async function resizeClientIds(queryRunner: QueryRunner, length: number): Promise<void> {
  const collation = isMySql(queryRunner) ? await noPadBinaryCollation(queryRunner) : undefined;
  for (const [tableName, column] of CLIENT_ID_COLUMNS) {
    if (collation) {
      // MODIFY re-declares the column: the collation must be repeated or it falls back to the table's.
      await queryRunner.query(
        `ALTER TABLE \`${tableName}\` MODIFY \`${column}\` varchar(${length}) CHARACTER SET utf8mb4 COLLATE ${collation} NOT NULL`,
      );
      continue;
    }
    if (queryRunner.connection.options.type === 'postgres') {
      // Not changeColumn: on PostgreSQL it drops and re-adds a column whose length changes, losing its data.
      await queryRunner.query(`ALTER TABLE "${tableName}" ALTER COLUMN "${column}" TYPE varchar(${length})`);
      continue;
    }
    // SQLite cannot alter a column: changeColumn copies the table into a new one, rows and indices included.
    const table = await queryRunner.getTable(tableName);
    const current = table?.findColumnByName(column);
    if (!table || !current) throw new Error(`${tableName}.${column} is missing: run the earlier oauth_ migrations first`);
    const resized = current.clone();
    resized.length = String(length);
    await queryRunner.changeColumn(table, current, resized);
  }
}
