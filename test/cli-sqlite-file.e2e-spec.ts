import { describeAdminCli, NEW_SQLITE_FILE } from './support/admin-cli-suite';

// The admin CLI on a SQLite file that does not exist yet: the first command creates it and its schema.
describeAdminCli(NEW_SQLITE_FILE, { full: true });
