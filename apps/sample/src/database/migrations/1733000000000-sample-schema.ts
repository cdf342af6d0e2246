import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * The sample's own tables: SHIFT's users, teams and sessions, and CustomApp's settings, connections and
 * sessions. The OAuth tables come from the library's migrations. Written with TypeORM's Table API so
 * one migration serves SQLite, PostgreSQL and MySQL/MariaDB.
 */
export class SampleSchema1733000000000 implements MigrationInterface {
  name = 'SampleSchema1733000000000';

  async up(qr: QueryRunner): Promise<void> {
    const date = qr.connection.driver.options.type === 'postgres' ? 'timestamp' : 'datetime';
    const id = (name: string, length = 32): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isPrimary: true });
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    });
    const when = (name: string, nullable = false): TableColumnOptions => ({ name, type: date, isNullable: nullable });
    const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });

    await qr.createTable(
      new Table({
        name: 'shift_users',
        columns: [
          id('id'),
          str('username', 64),
          str('password_hash', 255),
          str('first_name', 100),
          str('last_name', 100),
          str('email', 255),
          when('created_at'),
        ],
        indices: [new TableIndex({ name: 'uq_shift_users_username', columnNames: ['username'], isUnique: true })],
      }),
    );
    await qr.createTable(new Table({ name: 'shift_teams', columns: [id('id'), str('name', 100)] }));
    await qr.createTable(
      new Table({
        name: 'shift_team_members',
        columns: [id('team_id'), id('user_id'), str('role', 20)],
        indices: [new TableIndex({ name: 'idx_shift_team_members_user', columnNames: ['user_id'] })],
      }),
    );
    for (const name of ['shift_sessions', 'customapp_sessions']) {
      const prefix = name.replace('_sessions', '');
      await qr.createTable(
        new Table({
          name,
          columns: [id('sid', 64), text('data'), when('expires_at')],
          indices: [new TableIndex({ name: `idx_${prefix}_sessions_expires`, columnNames: ['expires_at'] })],
        }),
      );
    }
    await qr.createTable(new Table({ name: 'customapp_settings', columns: [id('key', 64), text('value')] }));
    await qr.createTable(
      new Table({
        name: 'customapp_connections',
        columns: [
          id('id', 36),
          str('shift_user_id', 64),
          text('profile'),
          str('scope', 255),
          text('access_token'),
          when('access_token_expires_at'),
          text('refresh_token', true),
          { name: 'refresh_count', type: 'integer', default: 0 },
          str('shift_team_id', 64, true),
          when('connected_at'),
          when('refreshed_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_customapp_connections_user', columnNames: ['shift_user_id'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const name of [
      'customapp_connections',
      'customapp_settings',
      'customapp_sessions',
      'shift_sessions',
      'shift_team_members',
      'shift_teams',
      'shift_users',
    ]) {
      await qr.dropTable(name);
    }
  }
}
