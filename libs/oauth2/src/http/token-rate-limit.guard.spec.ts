import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimedClientId } from './token-rate-limit.guard';

const basic = (raw: string) => `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;

describe('the client a token request claims, for rate limiting (RFC 6749 §2.3.1)', () => {
  it('names the claimed client for rate limiting: Basic first, else the body, malformed Basic left to the endpoint', () => {
    assert.equal(claimedClientId(basic('app:s'), 'other'), 'app');
    assert.equal(claimedClientId(basic('my+app:s'), undefined), 'my app');
    assert.equal(claimedClientId(undefined, 'body-app'), 'body-app');
    assert.equal(claimedClientId('Basic !!!', 'body-app'), 'body-app');
    assert.equal(claimedClientId(basic(':s'), 'body-app'), 'body-app');
    assert.equal(claimedClientId([basic('a:b'), basic('c:d')], undefined), undefined);
    assert.equal(claimedClientId('Bearer x', ''), undefined);
  });
});
