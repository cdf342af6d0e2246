import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeTokenStoreContract } from '../../libs/oauth2/src/stores/store-contract.spec-helper';
import { RedisTokenStore } from './redis-token.store';

// The README's Redis example must honour the same contract as the built-in stores. It needs the
// Redis of REDIS_URL (default 127.0.0.1:6379): CI always has one; elsewhere a missing Redis is
// reported, not failed, so `npm test` still passes with no server but SQLite.
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

void reachable().then((up) => {
  if (!up && process.env.CI) throw new Error(`CI needs Redis at ${url} for the RedisTokenStore contract`);
  if (!up) {
    console.log(`notice: no Redis at ${url}, so the RedisTokenStore example was not checked against the contract.`);
    return;
  }
  describeTokenStoreContract('RedisTokenStore (README example)', async () => {
    const prefix = `oauth-test:${randomBytes(6).toString('hex')}:`;
    // Two connections stand for two app instances sharing one Redis.
    const connections = [new Redis(url), new Redis(url)];
    const keys = () => connections[0].keys(`${prefix}*`);
    return {
      stores: connections.map((redis) => new RedisTokenStore(redis, prefix)),
      dump: async () => {
        const all = await keys();
        const values = await Promise.all(all.map(async (k) => ((await connections[0].type(k)) === 'string' ? connections[0].get(k) : k)));
        return `${all.join('\n')}\n${values.join('\n')}`;
      },
      clear: async () => {
        const all = await keys();
        if (all.length) await connections[0].del(...all);
      },
      close: async () => {
        const all = await keys();
        if (all.length) await connections[0].del(...all);
        connections.forEach((c) => c.disconnect());
      },
    };
  });
});
