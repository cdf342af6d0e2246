import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidClientError, InvalidRequestError } from '../oauth.errors';
import { parseBasicCredentials } from './http-basic';

const basic = (raw: string) => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;

describe('HTTP Basic client credentials (RFC 6749 §2.3.1)', () => {
  it('decodes id and secret, each form-urlencoded before base64 (RFC 6749 §2.3.1, Appendix B)', () => {
    assert.deepEqual(parseBasicCredentials(basic('app:s3cret')), { id: 'app', secret: 's3cret' });
    assert.deepEqual(parseBasicCredentials(basic('my+app:a%3Ab+c%25')), { id: 'my app', secret: 'a:b c%' });
    assert.deepEqual(parseBasicCredentials(basic('app:')), { id: 'app', secret: '' });
    assert.deepEqual(parseBasicCredentials(basic('app:x:y')), { id: 'app', secret: 'x:y' }, 'only the first colon splits');
  });

  it('reads the scheme case-insensitively (RFC 7235 §2.1)', () => {
    assert.deepEqual(parseBasicCredentials(`bASIC ${Buffer.from('a:b').toString('base64')}`), { id: 'a', secret: 'b' });
  });

  it('leaves a missing header and another scheme alone (not client authentication, RFC 6749 §2.3.1, RFC 7617 §2)', () => {
    assert.equal(parseBasicCredentials(undefined), undefined);
    assert.equal(parseBasicCredentials('Bearer abc.def'), undefined);
    assert.equal(parseBasicCredentials('Basically abc'), undefined);
  });

  it('refuses malformed Basic credentials with invalid_client and the Basic challenge (RFC 6749 §5.2)', () => {
    for (const header of ['Basic', 'Basic ', 'Basic !!!', 'Basic a b', basic('no-colon'), basic('%zz:secret'), basic('app:%E0%A4%A')]) {
      assert.throws(
        () => parseBasicCredentials(header),
        (error: unknown) => error instanceof InvalidClientError && error.usedBasic && /Malformed HTTP Basic/.test(error.message),
        header,
      );
    }
  });

  it('refuses a repeated Authorization header with invalid_request (RFC 6749 §5.2)', () => {
    assert.throws(() => parseBasicCredentials([basic('a:b'), basic('c:d')]), InvalidRequestError);
  });
});
