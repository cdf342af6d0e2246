import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stores `oauth_clients.redirect_uris` as a JSON array instead of a space-separated list. A value
 * registered with a space in it read back as two URIs, the second one never checked against the
 * registration rules; JSON keeps every list exactly as saved on every database. Existing lists are
 * converted as they read today (split on spaces); the authorization endpoint ignores any URI in them
 * that the registration rules refuse. `down` joins the lists with spaces again.
 * @publicApi
 */
export class StoreRedirectUrisAsJson1780000100000 implements MigrationInterface {
  name = 'StoreRedirectUrisAsJson1780000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rewriteRedirectUris(queryRunner, (value) => JSON.stringify(value ? value.split(' ').filter(Boolean) : []));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rewriteRedirectUris(queryRunner, (value) => (value ? (JSON.parse(value) as string[]).join(' ') : ''));
  }
}

/** Rewrites every client's redirect_uris with `convert`, one row at a time (a handful of clients). */
async function rewriteRedirectUris(queryRunner: QueryRunner, convert: (value: string | null) => string): Promise<void> {
  const driver = queryRunner.connection.driver;
  const update = `UPDATE oauth_clients SET redirect_uris = ${driver.createParameter('uris', 0)} WHERE id = ${driver.createParameter('id', 1)}`;
  const rows = (await queryRunner.query('SELECT id, redirect_uris FROM oauth_clients')) as { id: string; redirect_uris: string | null }[];
  for (const row of rows) await queryRunner.query(update, [convert(row.redirect_uris), row.id]);
}
