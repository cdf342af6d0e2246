import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { httpAdapterKind } from './fixtures/oauth-app.fixture';
import { createHostileApp, type HostileApp } from './support/hostile-app';
import {
  bodyFor,
  contentEncoded,
  contentType,
  encodeParams,
  encoding,
  headerSafe,
  hostileString,
  checkProperty,
  HOSTILE_SEED,
  mostlyValid,
  param,
  params,
} from './support/hostile-values';

const METADATA = '/.well-known/oauth-authorization-server';
const FASTIFY = httpAdapterKind() === 'fastify';
const FORM = 'application/x-www-form-urlencoded';

describe('hostile input at the metadata endpoint and a BearerGuard-protected route (issue 7)', () => {
  let h: HostileApp;

  before(async () => {
    h = await createHostileApp();
  });
  after(async () => {
    console.log(`hostile-input metadata/bearer: ${h.summary()}, seed ${HOSTILE_SEED} (FC_SEED replays)`);
    await h.close();
  });

  it(`GET ${METADATA}[/suffix]: never a 5xx or a stack trace, whatever the path and query`, async () => {
    const suffix = fc.oneof(
      fc.constant(''),
      fc.constant('/oauth2'),
      hostileString().map((s) => `/${encodeParams({ s }, 'raw').slice(2)}`),
    );
    const query = params({ x: param(hostileString()) });
    await checkProperty(fc.tuple(suffix, query, encoding(), fc.constantFrom('GET', 'HEAD')), async ([tail, values, how, method]) => {
      await h.attack({ method, path: `${METADATA}${tail}?${encodeParams(values, how)}` });
    });
  });

  it('GET/POST /api/me (BearerGuard): the RFC 6750 §3 challenge on every refusal, whatever the credentials, body, encoding or repeated parameters', async () => {
    const authorization = fc.option(
      fc.oneof(
        mostlyValid(h.accessToken, h.refreshToken).map((t) => `Bearer ${headerSafe(t)}`),
        hostileString().map((s) => headerSafe(`Bearer ${s}`)),
        fc.constantFrom(
          `bearer ${h.accessToken}`,
          `Bearer  ${h.accessToken}`,
          `Bearer ${h.accessToken} x`,
          `Basic ${h.accessToken}`,
          'Bearer',
          'Bearer "a\\"',
        ),
      ),
      { nil: undefined },
    );
    const tokenParams = params({ access_token: param(mostlyValid(h.accessToken)), a: param(hostileString()) });
    // A body on GET as well as POST (a JSON one too, or junk), sent under any content encoding.
    const body = fc
      .tuple(tokenParams, encoding())
      .chain(([values, how]) =>
        fc.tuple(fc.option(bodyFor(encodeParams(values, how), values).chain(contentEncoded), { nil: undefined }), contentType(FORM)),
      );
    const arbitrary = fc.tuple(fc.constantFrom('GET', 'POST'), authorization, tokenParams, encoding(), body);
    await checkProperty(arbitrary, async ([method, auth, query, how, [sent, type]]) => {
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      if (sent !== undefined && type !== undefined) headers['content-type'] = type;
      if (sent?.encoding !== undefined) headers['content-encoding'] = sent.encoding;
      await h.attack({ method, path: `/api/me?${encodeParams(query, how)}`, headers, body: sent?.body }, { bearerRoute: true });
    });
  });

  it(`GET ${METADATA}: an OAuth JSON error, never the platform's, for any body and content encoding (RFC 6749 §5.2)`, async () => {
    const values = params({ x: param(hostileString()) });
    const arbitrary = fc
      .tuple(values, encoding())
      .chain(([v, how]) =>
        fc.tuple(bodyFor(encodeParams(v, how), v).chain(contentEncoded), contentType(FORM), fc.constantFrom('GET', 'HEAD')),
      );
    await checkProperty(arbitrary, async ([{ body, encoding: sentEncoding }, type, method]) => {
      const headers: Record<string, string> = {};
      if (type !== undefined) headers['content-type'] = type;
      if (sentEncoding !== undefined) headers['content-encoding'] = sentEncoding;
      await h.attack({ method, path: METADATA, headers, body });
    });
  });

  it('answers a token in the query (off by default) with 400 invalid_request, not the resource (RFC 6750 §2.3)', async () => {
    const res = await h.attack({ method: 'GET', path: `/api/me?access_token=${h.accessToken}` }, { bearerRoute: true });
    assert.equal(res.status, 400);
    assert.match(String(res.headers['www-authenticate']), /error="invalid_request"/);
  });

  it('answers an undecodable metadata path suffix with 400, as invalid_request where the module sees the request', async () => {
    const res = await h.attack({ method: 'GET', path: `${METADATA}/%ZZ` });
    assert.equal(res.status, 400);
    // Express routes the request and the module answers; Fastify's router refuses the path before
    // any route or hook runs, with its own FST_ERR_BAD_URL body (the host's `frameworkErrors` option).
    assert.equal(JSON.parse(res.text)[FASTIFY ? 'code' : 'error'], FASTIFY ? 'FST_ERR_BAD_URL' : 'invalid_request');
  });
});
