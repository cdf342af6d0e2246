import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { Response } from 'supertest';
import { ClientStore, type HostLookup, type OAuthRegistrationOptions } from 'nest-oauth2-provider';
import { createOAuthTestApp, type OAuthTestApp } from './fixtures/oauth-app.fixture';
import {
  DOCUMENT_HOST,
  json,
  makeTestTls,
  startDocumentServer,
  type DocumentServer,
  type TestTls,
} from '../libs/oauth2/src/core/client-metadata/document-server.spec-helper';

// OpenID Connect client metadata through RFC 7591 registration and RFC 7592 management
// (OpenID Connect Dynamic Client Registration 1.0 §2, §5; RP-Initiated Logout §3.1). Sector
// identifier documents are served by a document server this test runs on 127.0.0.1 with its own CA;
// the fetch settings of Client ID Metadata Documents (on, but admitting no client id URL) let the
// server reach it, as they would an intranet host.

const REGISTER = '/oauth2/register';
const WEB = 'https://customapp.example/cb';
const LOGIN = 'https://login.customapp.example/cb';
const BYE = 'https://customapp.example/signed-out';

const OPEN: OAuthRegistrationOptions = {
  enabled: true,
  initialAccessToken: 'none',
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile', 'offline_access'],
  defaultScope: ['openid'],
  rateLimit: false,
};

function register(t: OAuthTestApp, metadata: unknown): Promise<Response> {
  return request(t.server).post(REGISTER).set('Content-Type', 'application/json').send(JSON.stringify(metadata));
}

async function clientCount(t: OAuthTestApp): Promise<number> {
  return (await t.app.get(ClientStore).list()).length;
}

function assertError(res: Response, code: string): void {
  assert.equal(res.status, 400, res.text);
  assert.equal(res.body.error, code, res.text);
  assert.equal(typeof res.body.error_description, 'string');
  assert.equal(res.headers['cache-control'], 'no-store');
}

describe('OpenID Connect client metadata in dynamic registration (OpenID Connect Registration 1.0)', () => {
  let tls: TestTls;
  let docs: DocumentServer;
  let t: OAuthTestApp;
  const lookup: HostLookup = async (hostname) => {
    if (hostname === DOCUMENT_HOST) return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
  };

  before(async () => {
    tls = makeTestTls();
    docs = await startDocumentServer(tls);
    docs.route('/sector.json', json([WEB, LOGIN]));
    docs.route('/partial.json', json([WEB]));
    docs.route('/object.json', json({ redirect_uris: [WEB, LOGIN] }));
    docs.route('/broken.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[not json'));
    t = await createOAuthTestApp({
      options: {
        registration: OPEN,
        openid: { idTokenSigningAlgorithms: ['RS256', 'ES256'], pairwiseSalt: 'a-salt-for-pairwise-subjects' },
        clientIdMetadataDocuments: { enabled: true, allowClientIdUrl: () => false, allowedAddresses: ['127.0.0.1/32'], lookup, ca: tls.ca },
      },
    });
  });
  after(async () => {
    await t.close();
    await docs.close();
  });

  it('OpenID Connect Registration §2, §3.2: registers and echoes id_token_signed_response_alg, subject_type, sector_identifier_uri and post_logout_redirect_uris', async () => {
    const sector = docs.url('/sector.json');
    const res = await register(t, {
      client_name: 'CustomApp',
      redirect_uris: [WEB, LOGIN],
      id_token_signed_response_alg: 'ES256',
      subject_type: 'pairwise',
      sector_identifier_uri: sector,
      post_logout_redirect_uris: [BYE],
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.id_token_signed_response_alg, 'ES256');
    assert.equal(res.body.subject_type, 'pairwise');
    assert.equal(res.body.sector_identifier_uri, sector);
    assert.deepEqual(res.body.post_logout_redirect_uris, [BYE]);
    const stored = await t.app.get(ClientStore).findById(res.body.client_id);
    assert.deepEqual(
      [stored?.idTokenSignedResponseAlg, stored?.subjectType, stored?.sectorIdentifierUri, stored?.postLogoutRedirectUris],
      ['ES256', 'pairwise', sector, [BYE]],
    );
    await t.app.get(ClientStore).delete(res.body.client_id);
  });

  it('RFC 7592 §2.1, §2.2: reads the OpenID Connect metadata back, and an update without it removes it', async () => {
    const created = await register(t, {
      client_name: 'Managed',
      redirect_uris: [WEB],
      token_endpoint_auth_method: 'none',
      post_logout_redirect_uris: [BYE],
      subject_type: 'public',
    });
    assert.equal(created.status, 201, created.text);
    const path = new URL(created.body.registration_client_uri).pathname;
    const auth = `Bearer ${created.body.registration_access_token}`;
    const read = await request(t.server).get(path).set('Authorization', auth);
    assert.deepEqual([read.body.post_logout_redirect_uris, read.body.subject_type], [[BYE], 'public']);
    const put = (body: Record<string, unknown>) => request(t.server).put(path).set('Authorization', auth).send(body);
    const base = { client_id: created.body.client_id, redirect_uris: [WEB], token_endpoint_auth_method: 'none' };
    assertError(await put({ ...base, id_token_signed_response_alg: 'HS256' }), 'invalid_client_metadata');
    const updated = await put({ ...base, id_token_signed_response_alg: 'RS256' });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.id_token_signed_response_alg, 'RS256');
    assert.equal(updated.body.post_logout_redirect_uris, undefined, 'omitted: removed');
    assert.equal(updated.body.subject_type, undefined, 'omitted: removed');
    await t.app.get(ClientStore).delete(created.body.client_id);
  });

  const hostile: [string, () => Record<string, unknown>, RegExp][] = [
    [
      'post_logout_redirect_uris that is not an array',
      () => ({ post_logout_redirect_uris: BYE }),
      /post_logout_redirect_uris must be an array/,
    ],
    [
      'a post-logout redirect URI over plain http (RP-Initiated Logout §3.1)',
      () => ({ post_logout_redirect_uris: ['http://customapp.example/bye'] }),
      /^post-logout redirect URI .* must use https/,
    ],
    ['a post-logout redirect URI with a fragment', () => ({ post_logout_redirect_uris: [`${BYE}#x`] }), /^post-logout .*fragment/],
    ['id_token_signed_response_alg "none" (unsigned ID tokens)', () => ({ id_token_signed_response_alg: 'none' }), /'none' is refused/],
    [
      'id_token_signed_response_alg "HS256" (a shared-secret MAC)',
      () => ({ id_token_signed_response_alg: 'HS256' }),
      /never a shared secret/,
    ],
    ['an ID token algorithm the server does not sign with', () => ({ id_token_signed_response_alg: 'EdDSA' }), /'EdDSA' is not supported/],
    ['an id_token_signed_response_alg that is not a string', () => ({ id_token_signed_response_alg: ['RS256'] }), /must be a string/],
    ['an unknown subject_type', () => ({ subject_type: 'anonymous' }), /subject_type 'anonymous' is not supported/],
    [
      'an http sector_identifier_uri',
      () => ({ subject_type: 'pairwise', sector_identifier_uri: 'http://client.test/sector.json' }),
      /sector_identifier_uri .* must be an https URL/,
    ],
    [
      'a pairwise client on two hosts without a sector_identifier_uri (Core §8.1)',
      () => ({ subject_type: 'pairwise', redirect_uris: [WEB, LOGIN] }),
      /more than one host needs a sector_identifier_uri/,
    ],
    [
      'a sector document missing a redirect URI (§5)',
      () => ({ subject_type: 'pairwise', sector_identifier_uri: docs.url('/partial.json') }),
      /does not list the redirect URI 'https:\/\/login\.customapp\.example\/cb'/,
    ],
    [
      'a sector document that is not JSON (§5)',
      () => ({ subject_type: 'pairwise', sector_identifier_uri: docs.url('/broken.json') }),
      /could not be fetched: the document is not valid JSON/,
    ],
    [
      'a sector document that is an object, not an array (§5)',
      () => ({ sector_identifier_uri: docs.url('/object.json') }),
      /must return a JSON array of redirect URIs/,
    ],
    ['a sector document that cannot be fetched (§5)', () => ({ sector_identifier_uri: docs.url('/missing.json') }), /answered HTTP 404/],
    [
      'a sector_identifier_uri on a private address',
      () => ({ sector_identifier_uri: 'https://10.0.0.5/sector.json' }),
      /10\.0\.0\.5, a private or reserved address/,
    ],
  ];
  for (const [what, body, description] of hostile) {
    it(`OpenID Connect Registration §2, RFC 7591 §3.2.2: ${what} is invalid_client_metadata and stores nothing`, async () => {
      const res = await register(t, { client_name: 'Hostile', redirect_uris: [WEB, LOGIN], ...body() });
      assertError(res, 'invalid_client_metadata');
      assert.match(res.body.error_description, description);
      assert.equal(await clientCount(t), 0);
    });
  }

  it('OpenID Connect Core §8: pairwise is refused when the server offers only public subjects', async () => {
    const publicOnly = await createOAuthTestApp({ options: { registration: OPEN, openid: {} }, storage: 'memory' });
    try {
      assertError(await register(publicOnly, { redirect_uris: [WEB], subject_type: 'pairwise' }), 'invalid_client_metadata');
      assert.equal(await clientCount(publicOnly), 0);
    } finally {
      await publicOnly.close();
    }
  });
});

describe('OpenID Connect client metadata with OpenID Connect off', () => {
  let t: OAuthTestApp;
  before(
    async () => (t = await createOAuthTestApp({ options: { registration: { ...OPEN, scopes: ['profile'], defaultScope: ['profile'] } } })),
  );
  after(() => t.close());

  it('RFC 7591 §2: ignores the metadata it does not understand, storing and echoing none of it', async () => {
    const res = await register(t, {
      redirect_uris: [WEB],
      id_token_signed_response_alg: 'none',
      subject_type: 'pairwise',
      sector_identifier_uri: 'http://example.com/',
      post_logout_redirect_uris: 'not a list',
    });
    assert.equal(res.status, 201, res.text);
    for (const field of ['id_token_signed_response_alg', 'subject_type', 'sector_identifier_uri', 'post_logout_redirect_uris']) {
      assert.equal(res.body[field], undefined, field);
    }
    const stored = await t.app.get(ClientStore).findById(res.body.client_id);
    assert.deepEqual(
      [stored?.idTokenSignedResponseAlg, stored?.subjectType, stored?.sectorIdentifierUri, stored?.postLogoutRedirectUris],
      [undefined, undefined, undefined, undefined],
    );
  });
});
