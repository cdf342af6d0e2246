import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * CustomApp signs in with OpenID Connect: each connection keeps who signed in (the ID token's claims)
 * and the ID token itself, encrypted, to name the user when signing out of SHIFT. Connections made
 * before have neither; they keep working, and sign out of CustomApp alone.
 */
export class AddOpenIdSignIn1796600000000 implements MigrationInterface {
  name = 'AddOpenIdSignIn1796600000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('customapp_connections', [
      new TableColumn({ name: 'identity', type: 'text', isNullable: true }),
      new TableColumn({ name: 'id_token', type: 'text', isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('customapp_connections', 'id_token');
    await qr.dropColumn('customapp_connections', 'identity');
  }
}
