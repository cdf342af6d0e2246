import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * CustomApp keeps a second access token per connection, for SHIFT Files: each token now has one
 * audience (RFC 8707), so the token for SHIFT's user API is refused by SHIFT Files and the other way
 * round. Existing connections start without one and get it with their refresh token on first use.
 */
export class AddFilesAccessToken1796590000000 implements MigrationInterface {
  name = 'AddFilesAccessToken1796590000000';

  async up(qr: QueryRunner): Promise<void> {
    const date = qr.connection.driver.options.type === 'postgres' ? 'timestamp' : 'datetime';
    await qr.addColumns('customapp_connections', [
      new TableColumn({ name: 'files_access_token', type: 'text', isNullable: true }),
      new TableColumn({ name: 'files_access_token_expires_at', type: date, isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('customapp_connections', 'files_access_token_expires_at');
    await qr.dropColumn('customapp_connections', 'files_access_token');
  }
}
