import { runMigrationsLocked } from 'nest-oauth2-provider/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Opens a data source. When its options ask for `migrationsRun`, the pending migrations are applied
 * under the library's migrations lock (`runMigrationsLocked`), so SHIFT instances started at once
 * against a new PostgreSQL or MySQL/MariaDB database — or an admin CLI run with `--migrate` — migrate
 * it once.
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (!options.migrationsRun) return dataSource;
  try {
    await runMigrationsLocked(dataSource);
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
