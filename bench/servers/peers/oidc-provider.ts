// Peer: oidc-provider v9 (Koa), configured for client_credentials with opaque tokens and
// introspection (RFC 7662), on an unbounded in-memory adapter (oidc-memory-adapter.ts). Its resource route is a Koa middleware in the same
// process that validates the bearer through the provider's own token lookup
// (`provider.ClientCredentials.find`), then checks scope `profile`.
//   node dist/bench/servers/peers/oidc-provider.js [--format jwt]
// With `--format jwt` client_credentials issues JWT access tokens (RFC 9068) signed with ES256 for
// the one resource (`features.resourceIndicators`, the default resource of every request); only the
// token load runs then.
import { generateKeyPairSync } from 'node:crypto';
import { announceReady, argValue, closeOnSignal } from '../lifecycle';
import { MapAdapter } from './oidc-memory-adapter';

const ISSUER = 'http://127.0.0.1';
const RESOURCE = 'http://127.0.0.1/api/';
const CC_SECRET = 'cc-secret-0123456789abcdefghijklmnopqrstuvwxyz0123';
const RS_SECRET = 'rs-secret-0123456789abcdefghijklmnopqrstuvwxyz0123';

async function main(): Promise<void> {
  const specifier = 'oidc-provider'; // ES module: loaded with import(), typed as any (it ships no types)
  const { default: Provider, errors } = (await import(specifier)) as { default: any; errors: any };
  const jwt = argValue('format', 'opaque') === 'jwt' ? jwtAccessTokens(errors) : undefined;
  const provider = new Provider(ISSUER, {
    // Its only key is ES256, so the clients' default ID-token algorithm must be too.
    ...(jwt ? { jwks: jwt.jwks, clientDefaults: { id_token_signed_response_alg: 'ES256' } } : {}),
    adapter: MapAdapter,
    clients: [
      {
        client_id: 'bench-cc',
        client_secret: CC_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'profile',
      },
      { client_id: 'bench-rs', client_secret: RS_SECRET, grant_types: [], response_types: [], redirect_uris: [] },
    ],
    scopes: ['openid', 'profile'],
    features: {
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      devInteractions: { enabled: false },
      ...(jwt ? { resourceIndicators: jwt.resourceIndicators } : {}),
    },
    cookies: { keys: ['bench-cookie-key-not-secret'] },
    ttl: { ClientCredentials: 3600 },
  });
  provider.on('server_error', (_ctx: unknown, error: Error) => console.error(error));

  provider.use(async (ctx: any, next: () => Promise<void>) => {
    if (ctx.path !== '/api/me' || ctx.method !== 'GET') return next();
    const match = /^Bearer ([^\s]+)$/.exec(ctx.get('authorization'));
    const token = match ? await provider.ClientCredentials.find(match[1]) : undefined;
    if (!token || token.isExpired) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      ctx.body = { error: 'invalid_token' };
      return;
    }
    if (!token.scopes.has('profile')) {
      ctx.status = 403;
      ctx.body = { error: 'insufficient_scope' };
      return;
    }
    ctx.body = { sub: token.clientId, scope: token.scope };
  });

  // The bearer pool: tokens minted through the provider's own model, as its grant handler does.
  const client = await provider.Client.find('bench-cc');
  const bearerTokens: string[] = [];
  // The JWT variant only issues, so it holds no pool.
  for (let i = 0; i < (jwt ? 0 : 1000); i++) {
    const value = await new provider.ClientCredentials({ client, scope: 'profile' }).save();
    if (i < 100) bearerTokens.push(value);
  }

  const server = provider.listen(0, '127.0.0.1', () =>
    announceReady(server.address(), {
      getPath: '/api/me',
      tokenPath: '/token',
      introspectPath: '/token/introspection',
      ccClient: { id: 'bench-cc', secret: CC_SECRET },
      introspectClient: { id: 'bench-rs', secret: RS_SECRET },
      bearerTokens,
      ...(jwt ? { accessTokenFormat: 'jwt' as const, jwt: { issuer: ISSUER, audience: RESOURCE, jwks: '/jwks' } } : {}),
      notes: jwt
        ? `client_credentials issues JWT access tokens (ES256) for ${RESOURCE} (features.resourceIndicators), not stored`
        : 'opaque tokens in an unbounded in-memory adapter',
    }),
  );
  closeOnSignal(() => new Promise((resolve) => server.close(resolve)));
}

/**
 * JWT access tokens for one resource server, as oidc-provider's `features.resourceIndicators`
 * documents it: every request without `resource` gets the default one, and its tokens are JWTs signed
 * with the provider's ES256 key (a P-256 key in `jwks`; the provider has none unless given).
 */
function jwtAccessTokens(errors: { InvalidTarget: new () => Error }) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'bench-es256' }] },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx: unknown, resource: string) => {
        if (resource !== RESOURCE) throw new errors.InvalidTarget();
        return { audience: RESOURCE, scope: 'profile', accessTokenFormat: 'jwt', accessTokenTTL: 300, jwt: { sign: { alg: 'ES256' } } };
      },
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
