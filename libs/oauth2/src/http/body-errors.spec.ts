import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError } from '../core/oauth.errors';
import { bodyError, endpointPaths, platformBodyError } from './body-errors';
import { PREFIXED_CONTROLLERS, ROOT_CONTROLLERS } from './oauth.controllers';

describe('bodyError', () => {
  it("maps body-parser's entity.too.large (Express) and FST_ERR_CTP_BODY_TOO_LARGE (Fastify) to 413 invalid_request", () => {
    for (const error of [
      Object.assign(new Error('big'), { type: 'entity.too.large', status: 413 }),
      { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 },
    ]) {
      const oauth = bodyError(error);
      assert.ok(oauth instanceof InvalidRequestError);
      assert.equal(oauth.status, 413);
    }
  });

  it("answers Fastify's unsupported media type as Express does, with 400 invalid_request (RFC 6749 §3.2)", () => {
    const oauth = bodyError({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 });
    assert.equal(oauth?.status, 400);
    assert.match(oauth!.description!, /x-www-form-urlencoded/);
  });

  it('maps a parse failure to 400 invalid_request', () => {
    assert.equal(bodyError({ type: 'entity.parse.failed', status: 400 })?.status, 400);
    assert.equal(bodyError({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 })?.code, 'invalid_request');
  });

  it("maps body-parser's failure to inflate a gzip, deflate or brotli body (a zlib error without type) to 400 invalid_request (RFC 6749 §5.2)", () => {
    for (const code of ['Z_DATA_ERROR', 'Z_BUF_ERROR', 'ERR__ERROR_FORMAT_PADDING_2']) {
      const zlib = Object.assign(new Error('Decompression failed'), { code, errno: -3, status: 400, statusCode: 400, expose: true });
      const oauth = bodyError(zlib);
      assert.ok(oauth instanceof InvalidRequestError, code);
      assert.equal(oauth.status, 400);
      assert.match(oauth.description!, /Content-Encoding/);
      assert.equal(platformBodyError(zlib)?.status, 400);
    }
  });

  it("keeps a host's own Nest exception out of the host routes' mapping", () => {
    const exception = { getStatus: () => 400, message: 'bad' };
    assert.equal(bodyError(exception)?.code, 'invalid_request');
    assert.equal(platformBodyError(exception), undefined);
  });

  it('leaves every other error alone', () => {
    assert.equal(bodyError(new Error('boom')), undefined);
    assert.equal(bodyError({ status: 401 }), undefined);
    assert.equal(bodyError(undefined), undefined);
  });
});

describe('endpointPaths', () => {
  const matches = endpointPaths('v1/oauth2', PREFIXED_CONTROLLERS, ROOT_CONTROLLERS);

  it("matches the module's endpoints, behind any global prefix", () => {
    for (const path of ['/v1/oauth2/token', '/v1/oauth2/auth', '/v1/oauth2/revoke', '/api/v1/oauth2/introspect', '/v1/oauth2/token/']) {
      assert.ok(matches(path), path);
    }
    assert.ok(matches('/.well-known/oauth-authorization-server'));
    assert.ok(matches('/.well-known/oauth-authorization-server/tenant'));
  });

  it("does not match the host's routes", () => {
    for (const path of ['/api/me', '/v1/token', '/oauth2/token', '/v1/oauth2/tokens', '/']) assert.ok(!matches(path), path);
  });
});
