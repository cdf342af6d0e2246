import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  ClientRegistry,
  OAUTH_ENTITIES,
  OAUTH_MIGRATIONS,
  OAuthClientEntity,
  SystemClock,
  TypeOrmClientStore,
  type ClientRegistration,
} from 'nest-oauth2-provider';
import { TEST_SCOPES } from '../fixtures/oauth-app.fixture';
import { startHost, type HostProcess } from './host-process';
import { createTestDatabase, type TestDatabase } from './test-database';

/** Host app processes sharing one fresh database, and the test's own connection to it. */
export interface HostCluster {
  db: TestDatabase;
  /** The test's connection, for seeding clients and counting rows. */
  data: DataSource;
  hosts: HostProcess[];
  /** Registers a confidential client; resolves its id and secret. */
  register(input: ClientRegistration): Promise<{ id: string; secret: string }>;
  close(): Promise<void>;
}

/**
 * Creates a database on the server at `serverUrl`, migrates it once, then starts one host process
 * per entry of `instances` (extra environment each), all with the same CSRF secret. `route` may
 * point a host at the database through something else (a proxy).
 */
export async function startCluster(
  serverUrl: string,
  instances: Record<string, string>[],
  route: (dbUrl: string, index: number) => string = (url) => url,
): Promise<HostCluster> {
  const db = await createTestDatabase(serverUrl);
  const data = new DataSource({ ...db.options, entities: [...OAUTH_ENTITIES], migrations: [...OAUTH_MIGRATIONS], migrationsRun: true });
  await data.initialize();
  const registry = new ClientRegistry(
    new TypeOrmClientStore(data.getRepository(OAuthClientEntity)),
    new SystemClock(),
    Object.keys(TEST_SCOPES),
  );
  const csrf = randomBytes(32).toString('hex');
  const hosts: HostProcess[] = [];
  const close = async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await data.destroy();
    await db.drop();
  };
  try {
    hosts.push(
      ...(await Promise.all(instances.map((env, i) => startHost({ DATABASE_URL: route(db.url, i), OAUTH_CSRF_SECRET: csrf, ...env })))),
    );
  } catch (error) {
    await close();
    throw error;
  }
  return {
    db,
    data,
    hosts,
    register: async (input) => {
      const registered = await registry.register(input);
      return { id: registered.client.id, secret: registered.clientSecret! };
    },
    close,
  };
}
