import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const column = (nullable: boolean) => new TableColumn({ name: 'grant_created_at', type: 'bigint', isNullable: nullable });

/**
 * Adds `oauth_tokens.grant_created_at`, the first issuance of each token's grant, from which the
 * absolute refresh lifetime (`refreshTokenAbsoluteTtl`) counts.
 *
 * Existing rows get the oldest `created_at` still stored for their grant: the grant's first issuance,
 * or, when the purge already deleted its first tokens, the oldest one left (a deadline no earlier than
 * the true one, so no grant ends sooner than the option says). The column is added nullable, filled,
 * then made NOT NULL, so it works on tables that already hold rows.
 * @publicApi
 */
export class AddTokenGrantCreatedAt1780000400000 implements MigrationInterface {
  name = 'AddTokenGrantCreatedAt1780000400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('oauth_tokens', column(true));
    const table = queryRunner.connection.driver.escape('oauth_tokens');
    const type = queryRunner.connection.options.type;
    if (type === 'mysql' || type === 'mariadb') {
      // MySQL refuses a subquery on the table being updated (error 1093); a grouped derived table is
      // materialized first, so the join reads a snapshot.
      await queryRunner.query(
        `UPDATE ${table} t JOIN (SELECT grant_id, MIN(created_at) AS first_issue FROM ${table} GROUP BY grant_id) g ` +
          'ON g.grant_id = t.grant_id SET t.grant_created_at = g.first_issue',
      );
    } else {
      await queryRunner.query(
        `UPDATE ${table} SET grant_created_at = (SELECT MIN(g.created_at) FROM ${table} g WHERE g.grant_id = ${table}.grant_id)`,
      );
    }
    await queryRunner.changeColumn('oauth_tokens', 'grant_created_at', column(false));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('oauth_tokens', 'grant_created_at');
  }
}
