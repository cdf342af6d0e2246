// The data source of the TypeORM CLI, from DATABASE_URL (default sqlite:data/sample.sqlite):
//   npm run build && npx typeorm migration:show -d dist/ormconfig.js
import { DataSource } from 'typeorm';
import { dataSourceOptionsFromUrl } from './apps/sample/src/database/database-url';

/** The CLI runs migrations itself (`migration:run`), so it does not run them on connect. */
export default new DataSource({ ...dataSourceOptionsFromUrl(process.env.DATABASE_URL), migrationsRun: false });
