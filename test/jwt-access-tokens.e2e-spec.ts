import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as jose from 'jose';
import request from 'supertest';
import { KeySigner, SigningKeyStore, type CreatedKey, type SigningAlgorithm, type SigningKey } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import { ProfileApiController } from './fixtures/protected-api';
import { TOKEN_PATH } from './fixtures/oauth-flow';

/**
 * JWT access tokens (RFC 9068) issued by the token endpoint and checked by this server's BearerGuard,
 * verified independently with `jose` against the published JWKS.
 */

const API = 'https://api.shift.example/v1/';
const FILES = 'https://files.shift.example/';
const ISSUER = 'https://shift.example';

describe('JWT access tokens (RFC 9068)', () => {
  let t: OAuthTestApp;
  let client: { id: string; secret: string };
  let jwks: ReturnType<typeof jose.createLocalJWKSet>;

  const clientCredentials = async (resource: string, scope = 'profile') =>
    (
      await request(t.server)
        .post(TOKEN_PATH)
        .auth(client.id, client.secret)
        .type('form')
        .send({ grant_type: 'client_credentials', resource, scope })
        .expect(200)
    ).body as { access_token: string; expires_in: number; scope: string };

  before(async () => {
    t = await createOAuthTestApp({
      controllers: [ProfileApiController],
      options: {
        issuer: ISSUER,
        resources: {
          [API]: { scopes: ['profile'], name: 'SHIFT API', accessTokenFormat: 'jwt' },
          [FILES]: { scopes: ['email'], name: 'SHIFT Files' },
        },
        defaultResource: API,
      },
    });
    const { client: c, clientSecret } = await t.register({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'] });
    client = { id: c.id, secret: clientSecret! };
  });
  after(() => t.close());

  it('RFC 8414 §2: the metadata advertises jwks_uri, and the JWKS holds only public keys with kid, alg and use', async () => {
    const metadata = (await request(t.server).get('/.well-known/oauth-authorization-server').expect(200)).body;
    assert.equal(metadata.jwks_uri, `${ISSUER}/oauth2/jwks`);
    await clientCredentials(API);
    const res = await request(t.server).get('/oauth2/jwks').expect(200);
    assert.match(res.headers['cache-control'], /max-age=600/);
    assert.ok(res.body.keys.length >= 2, 'the active key and the next one are published');
    for (const key of res.body.keys) {
      assert.equal(key.kty, 'EC');
      assert.equal(key.alg, 'ES256');
      assert.equal(key.use, 'sig');
      assert.equal(key.d, undefined, 'no private member');
      assert.equal(key.kid, await jose.calculateJwkThumbprint(key), 'kid is the RFC 7638 thumbprint');
    }
    jwks = jose.createLocalJWKSet(res.body);
  });

  it('RFC 9068 §2: the token is a JWT with typ at+jwt and the claims iss, exp, aud, sub, client_id, iat, jti, scope', async () => {
    const body = await clientCredentials(API);
    assert.equal(body.expires_in, 300, 'a JWT resource defaults to 5-minute tokens');
    const { payload, protectedHeader } = await jose.jwtVerify(body.access_token, jwks, {
      issuer: ISSUER,
      audience: API,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    assert.equal(protectedHeader.typ, 'at+jwt');
    assert.equal(payload.sub, client.id, 'sub is the client for client_credentials (RFC 9068 §2.2)');
    assert.equal(payload.client_id, client.id);
    assert.equal(payload.scope, 'profile');
    assert.equal(payload.exp! - payload.iat!, 300);
    assert.equal(typeof payload.jti, 'string');
  });

  it('RFC 9068 §4: BearerGuard accepts its own JWT, and refuses it once tampered', async () => {
    const { access_token } = await clientCredentials(API);
    await request(t.server).get('/api/me').auth(access_token, { type: 'bearer' }).expect(200);
    const [h, p, s] = access_token.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'profile email' })).toString('base64url')}.${s}`;
    const res = await request(t.server).get('/api/me').auth(forged, { type: 'bearer' }).expect(401);
    assert.match(res.headers['www-authenticate'], /error="invalid_token"/);
  });

  it('RFC 8707: an opaque resource keeps opaque tokens beside the JWT one', async () => {
    const { access_token } = await clientCredentials(FILES, 'email');
    assert.equal(access_token.split('.').length, 1);
  });
});

/** Keys kept outside the key store, as a KMS would: the store holds only a reference. */
class VaultKeySigner extends KeySigner {
  static readonly vault = new Map<string, KeyObject>();
  static signatures = 0;

  async create(alg: SigningAlgorithm): Promise<CreatedKey> {
    assert.equal(alg, 'ES256');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' }) as jose.JWK;
    const kid = await jose.calculateJwkThumbprint(jwk);
    const reference = `vault:${kid}`;
    VaultKeySigner.vault.set(reference, privateKey);
    return { kid, privateKey: reference, publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid, alg, use: 'sig' } };
  }

  sign(key: SigningKey, input: Buffer): Buffer {
    VaultKeySigner.signatures++;
    return sign('sha256', input, { key: VaultKeySigner.vault.get(key.privateKey)!, dsaEncoding: 'ieee-p1363' });
  }
}

describe('JWT access tokens signed by a host KeySigner (keys in a KMS or HSM)', () => {
  let t: OAuthTestApp;
  const env = process.env.NODE_ENV;

  before(async () => {
    // Production without a key-encryption key: fine when the host's signer holds the keys.
    process.env.NODE_ENV = 'production';
    try {
      t = await createOAuthTestApp({
        controllers: [ProfileApiController],
        extras: { keySigner: VaultKeySigner },
        options: {
          issuer: ISSUER,
          resources: { [API]: { scopes: ['profile'], name: 'SHIFT API', accessTokenFormat: 'jwt' } },
          defaultResource: API,
        },
      });
    } finally {
      process.env.NODE_ENV = env;
    }
  });
  after(() => t.close());

  it('RFC 9068 §2.1: tokens are signed by the host signer, the store keeps only its reference, and jose verifies them', async () => {
    const { client, clientSecret } = await t.register({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'] });
    const before = VaultKeySigner.signatures;
    const { access_token } = (
      await request(t.server)
        .post(TOKEN_PATH)
        .auth(client.id, clientSecret!)
        .type('form')
        .send({ grant_type: 'client_credentials', scope: 'profile' })
        .expect(200)
    ).body;
    assert.equal(VaultKeySigner.signatures, before + 1);
    const keys = await t.app.get(SigningKeyStore).list();
    assert.ok(
      keys.every((k) => k.privateKey.startsWith('vault:')),
      'no private key material in the store',
    );
    const jwks = (await request(t.server).get('/oauth2/jwks').expect(200)).body;
    await jose.jwtVerify(access_token, jose.createLocalJWKSet(jwks), { issuer: ISSUER, audience: API, typ: 'at+jwt' });
    await request(t.server).get('/api/me').auth(access_token, { type: 'bearer' }).expect(200);
  });
});
