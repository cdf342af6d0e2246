import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const nullable = (name: string, type: 'text' | 'varchar', length?: string) => new TableColumn({ name, type, length, isNullable: true });

/** The OpenID Connect client metadata columns of `oauth_clients`, in the order they are added. */
const CLIENT_COLUMNS = () => [
  nullable('id_token_signed_response_alg', 'varchar', '16'),
  nullable('subject_type', 'varchar', '16'),
  nullable('sector_identifier_uri', 'text'),
  nullable('post_logout_redirect_uris', 'text'),
];

/**
 * Adds what OpenID Connect keeps:
 * - `oauth_clients.id_token_signed_response_alg`, `subject_type`, `sector_identifier_uri` (OpenID
 *   Connect Registration §2) and `post_logout_redirect_uris` (RP-Initiated Logout §3.1, a JSON array
 *   like `redirect_uris`); null = the OpenID defaults (RS256, public subjects, no logout redirect);
 * - `oauth_authorization_codes.openid` and `oauth_tokens.openid`: the sign-in an OpenID Connect grant
 *   describes (`auth_time`, `nonce`, `acr`, `amr`; Core §2), as JSON; null for a plain OAuth grant.
 * Every column is nullable, so existing rows keep meaning what they meant: no client, code or token
 * issued before this migration is an OpenID Connect one.
 * @publicApi
 */
export class AddOpenIdConnectFields1780001100000 implements MigrationInterface {
  name = 'AddOpenIdConnectFields1780001100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('oauth_clients', CLIENT_COLUMNS());
    await queryRunner.addColumn('oauth_authorization_codes', nullable('openid', 'text'));
    await queryRunner.addColumn('oauth_tokens', nullable('openid', 'text'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('oauth_tokens', 'openid');
    await queryRunner.dropColumn('oauth_authorization_codes', 'openid');
    await queryRunner.dropColumns(
      'oauth_clients',
      CLIENT_COLUMNS()
        .map((column) => column.name)
        .reverse(),
    );
  }
}
