import { DataSource } from 'typeorm';
import { dataSourceOptionsFromUrl } from '../database/database-url';

/**
 * The sample's database for the package's `nest-oauth2` CLI (`--data-source`): DATABASE_URL, or the
 * sample's SQLite file when unset, with the sample's migrations, which the CLI applies first (under a
 * lock) as the apps do at start-up.
 */
export const dataSource = new DataSource(dataSourceOptionsFromUrl());
