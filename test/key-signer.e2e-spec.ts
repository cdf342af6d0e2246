import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import * as jose from 'jose';
import request from 'supertest';
import { ClientRegistry, OAuthModule, SigningKeyStore } from 'nest-oauth2-provider';
import { createTestApplication } from './fixtures/oauth-app.fixture';
import { InProcessKms, KmsClient, KmsKeySigner, KmsModule, oauthOptions } from './examples/jwt-access-tokens';

/**
 * The `keySigner` extra: keys made and used by a KMS through the guide's `KmsKeySigner`. The store
 * holds only the KMS's reference to each private key, and no key-encryption key is needed.
 */
describe('JWT signing keys in a KMS (keySigner extra, RFC 9068)', () => {
  let app: INestApplication;
  let kms: InProcessKms;

  before(async () => {
    @Module({
      imports: [KmsModule, OAuthModule.forRoot({ ...oauthOptions, prefix: 'oauth2', storage: 'memory', keySigner: KmsKeySigner })],
    })
    class KmsAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [KmsAppModule] }).compile();
    app = await createTestApplication(moduleRef);
    kms = app.get(KmsClient);
  });
  after(() => app?.close());

  it('signs with the KMS key: verifiable against the JWKS, while the store keeps only a reference', async () => {
    const { client, clientSecret } = await app
      .get(ClientRegistry)
      .register({ name: 'Worker', redirectUris: [], grantTypes: ['client_credentials'] });
    const res = await request(app.getHttpServer())
      .post('/oauth2/token')
      .auth(client.id, clientSecret!)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'files:read' })
      .expect(200);
    const jwks = (await request(app.getHttpServer()).get('/oauth2/jwks').expect(200)).body;
    const { protectedHeader, payload } = await jose.jwtVerify(res.body.access_token, jose.createLocalJWKSet(jwks), {
      issuer: oauthOptions.issuer,
      audience: 'https://files.shift.example/',
      typ: 'at+jwt',
    });
    assert.equal(payload.client_id, client.id);

    const keys = await app.get(SigningKeyStore).list();
    const active = keys.find((k) => k.state === 'active')!;
    assert.equal(protectedHeader.kid, active.kid);
    assert.deepEqual(keys.map((k) => k.privateKey).sort(), ['kms-key-1', 'kms-key-2'], 'references, not key material');
    assert.ok(kms instanceof InProcessKms);
  });
});
