import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ClientRegistry, SystemClock, type ClientRegistration } from 'nest-oauth2-provider';
import { OAUTH_ENTITIES, OAuthClientEntity, TypeOrmClientStore } from 'nest-oauth2-provider/typeorm';
import { SHIFT_SCOPES } from '../../apps/sample/src/shift/shift-oauth.options';
import { startShift, type ShiftProcess } from './shift-process';
import { createTestDatabase, type TestDatabase } from './test-database';

/** The issuer every instance shares, as instances behind one load balancer do. */
export const CLUSTER_ISSUER = 'http://127.0.0.1';

/** SHIFT processes sharing one new database, and the test's own connection to it. */
export interface ShiftCluster {
  db: TestDatabase;
  /** The test's connection, for registering clients and counting rows. */
  data: DataSource;
  instances: ShiftProcess[];
  /** Registers a confidential client; resolves its id and secret. */
  register(input: ClientRegistration): Promise<{ id: string; secret: string }>;
  close(): Promise<void>;
}

/**
 * Creates an empty database on the server at `serverUrl` and starts one SHIFT process per entry of
 * `instances` (extra environment each), all at once, so they migrate and seed it concurrently as a
 * deployment's replicas do. They share the issuer, the session secret and the server secret: a
 * login, a consent page or a refresh retry from one instance is good on any other. `route` may point
 * an instance at the database through something else (a proxy).
 */
export async function startShiftCluster(
  serverUrl: string,
  instances: Record<string, string>[],
  route: (dbUrl: string, index: number) => string = (url) => url,
): Promise<ShiftCluster> {
  const db = await createTestDatabase(serverUrl);
  const shared = {
    OAUTH_ISSUER: CLUSTER_ISSUER,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    OAUTH_SECRET: randomBytes(32).toString('hex'),
    // SHIFT's defaults, whatever the shell running the tests has set.
    ACCESS_TOKEN_TTL: '',
    LOGIN_RATE_LIMIT: '',
    REFRESH_TOKEN_GRACE_PERIOD: '',
  };
  const started = await Promise.allSettled(instances.map((env, i) => startShift({ ...shared, DATABASE_URL: route(db.url, i), ...env })));
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const data = new DataSource({ ...db.options, entities: [...OAUTH_ENTITIES] });
  const close = async () => {
    await Promise.all(running.map((p) => p.stop()));
    if (data.isInitialized) await data.destroy();
    await db.drop();
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await close();
    throw (failed as PromiseRejectedResult).reason;
  }
  await data.initialize();
  const registry = new ClientRegistry({
    clients: new TypeOrmClientStore(data.getRepository(OAuthClientEntity)),
    clock: new SystemClock(),
    knownScopes: Object.keys(SHIFT_SCOPES),
  });
  return {
    db,
    data,
    instances: running,
    register: async (input) => {
      const registered = await registry.register(input);
      return { id: registered.client.id, secret: registered.clientSecret! };
    },
    close,
  };
}
