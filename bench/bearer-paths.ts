// The library's own share of a bearer check, in process, with no HTTP around it: the figures the
// server-level rows cannot give on a shared machine, whose CPU time per request swings by a third
// from round to round. Interleaved batches, so whatever else the machine does hits both sides alike.
//   node dist/bench/bearer-paths.js
// - cached check: `ResourceServer.authenticate` on a token the verified-token cache holds, a JWT
//   (RFC 9068) against an opaque token;
// - cache off: the same for a JWT the cache does not hold, against one raw ES256 `crypto.verify`.
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { SystemClock } from 'nest-oauth2-provider';
import { InMemoryClientStore, InMemoryTokenStore } from 'nest-oauth2-provider/testing';
// Library internals measured directly (not part of the public API).
import { AccessTokenVerifier } from '../libs/oauth2/src/core/access-token-verifier';
import { JwtAccessTokenVerifier } from '../libs/oauth2/src/core/jwt/jwt-access-token-verifier';
import { type BearerRequest } from '../libs/oauth2/src/core/bearer-credentials';
import { ResourceServer } from '../libs/oauth2/src/core/resource-server';
import { StoreAccessTokenVerifier } from '../libs/oauth2/src/core/store-access-token-verifier';
import { TokenCache } from '../libs/oauth2/src/core/token-cache';
import { median } from './harness/stats';
import { accessToken } from './servers/ours/setup';

const ISSUER = 'http://127.0.0.1';
const AUDIENCE = 'http://127.0.0.1/api/';
const POOL = 100;
const clock = new SystemClock();
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT access token the size and shape of the server's (ES256, RFC 9068 claims). */
function jwt(i: number): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ typ: 'at+jwt', alg: 'ES256', kid: 'k'.repeat(43) })}.${b64({
    iss: ISSUER,
    sub: 'user-1',
    aud: AUDIENCE,
    client_id: 'bench-web',
    scope: 'profile',
    jti: String(i).padStart(43, 'j'),
    iat: now,
    exp: now + 3600,
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

function resourceServer(verifier: AccessTokenVerifier): ResourceServer {
  return new ResourceServer({ settings: { realm: ISSUER, allowQueryToken: false, resource: AUDIENCE }, verifier });
}

/** Median CPU µs per call of each side, over interleaved batches (the first two only warm up). */
async function compare(sides: (() => Promise<unknown> | unknown)[], perBatch: number, batches = 12): Promise<number[]> {
  const samples: number[][] = sides.map(() => []);
  for (let b = 0; b < batches + 2; b++) {
    for (const [i, side] of sides.entries()) {
      const start = process.cpuUsage();
      for (let n = 0; n < perBatch; n++) await side();
      const used = process.cpuUsage(start);
      if (b >= 2) samples[i]!.push((used.user + used.system) / perBatch);
    }
  }
  return samples.map(median);
}

async function main(): Promise<void> {
  const tokens = new InMemoryTokenStore();
  const clients = new InMemoryClientStore();
  await clients.save({
    id: 'bench-web',
    name: 'Bench web app',
    secretHash: null,
    redirectUris: ['http://127.0.0.1/callback'],
    grantTypes: ['authorization_code'],
    scopes: ['profile'],
    canIntrospect: false,
    applicationType: 'web',
    resources: null,
    defaultResource: null,
    createdAt: new Date(),
  });
  const opaque: string[] = [];
  for (let i = 0; i < POOL; i++) {
    const raw = randomBytes(32).toString('base64url');
    opaque.push(raw);
    await tokens.save([accessToken(raw, new Date(), undefined, AUDIENCE)]);
  }
  const jwts = Array.from({ length: POOL }, (_, i) => jwt(i));
  const keys = { verificationKey: async () => publicKey, knownKey: () => publicKey };
  const jwtServer = (cache: TokenCache) =>
    resourceServer(
      new JwtAccessTokenVerifier({ issuer: ISSUER, keys, algorithms: ['ES256'], clock, clockTolerance: 30, cache, resource: AUDIENCE }),
    );
  const cache = () => new TokenCache({ maxEntries: 10_000, ttl: 30 });
  const opaqueServer = resourceServer(new StoreAccessTokenVerifier({ tokens, clients, clock, cache: cache() }));
  const cachedJwtServer = jwtServer(cache());
  const uncachedJwtServer = jwtServer(new TokenCache(false));
  const request = (token: string): BearerRequest => ({ method: 'GET', headers: { authorization: `Bearer ${token}` }, query: {}, body: {} });

  let n = 0;
  const [cachedJwt, cachedOpaque] = await compare(
    [() => cachedJwtServer.authenticate(request(jwts[n++ % POOL]!)), () => opaqueServer.authenticate(request(opaque[n++ % POOL]!))],
    20_000,
  );
  console.log(
    `cached check: JWT ${cachedJwt!.toFixed(2)} µs, opaque ${cachedOpaque!.toFixed(2)} µs (JWT costs ${(cachedJwt! - cachedOpaque!).toFixed(2)} µs more)`,
  );

  const input = Buffer.from(jwts[0]!.slice(0, jwts[0]!.lastIndexOf('.')), 'latin1');
  const signature = Buffer.from(jwts[0]!.slice(jwts[0]!.lastIndexOf('.') + 1), 'base64url');
  const [uncached, raw] = await compare(
    [
      () => uncachedJwtServer.authenticate(request(jwts[n++ % POOL]!)),
      () => verify('sha256', input, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ],
    2_000,
  );
  console.log(
    `cache off: JWT ${uncached!.toFixed(1)} µs, one raw ES256 verify ${raw!.toFixed(1)} µs ` +
      `(the library adds ${(uncached! - raw!).toFixed(1)} µs = ${((uncached! - raw!) / raw!).toFixed(2)} of a raw verify)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
