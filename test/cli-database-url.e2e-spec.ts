import { DATABASE_URL_DATABASE, describeAdminCli } from './support/admin-cli-suite';

// The admin CLI on a fresh database of the kind in DATABASE_URL (PostgreSQL, MariaDB, or SQLite when unset).
describeAdminCli(DATABASE_URL_DATABASE, { full: false });
