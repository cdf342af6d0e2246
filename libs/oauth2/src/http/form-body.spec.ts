import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { announcesFormBody, assertDecodableBody, parseFormBody, readFormBody } from './form-body';

const stream = (text: string) => Readable.from([Buffer.from(text)]) as unknown as IncomingMessage;

describe('form bodies the platform left unread', () => {
  it('keeps a repeated name as an array so the core can refuse it (RFC 6749 §3.1)', () => {
    assert.deepEqual(parseFormBody('a=1&b=2&a=3'), { a: ['1', '3'], b: '2' });
  });

  it('decodes + and percent escapes, and drops __proto__', () => {
    const body = parseFormBody('q=a+b%26c&__proto__=x');
    assert.deepEqual(body, { q: 'a b&c' });
    assert.equal(Object.getPrototypeOf(body), Object.prototype);
  });

  it('is announced only by a form content type with content', () => {
    assert.ok(announcesFormBody({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': '3' }));
    assert.ok(announcesFormBody({ 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' }));
    assert.ok(!announcesFormBody({ 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' }));
    assert.ok(!announcesFormBody({ 'content-type': 'application/json', 'content-length': '3' }));
  });

  it('reads a body within the limit and refuses a larger one with 413 invalid_request', async () => {
    assert.deepEqual(await readFormBody(stream('access_token=abc'), 100), { access_token: 'abc' });
    await assert.rejects(readFormBody(stream('x='.padEnd(200, 'a')), 100), { code: 'invalid_request', status: 413 });
  });

  it('refuses a form or JSON body in another charset than UTF-8, or compressed, with 415 invalid_request (RFC 6749 Appendix B)', () => {
    const form = 'application/x-www-form-urlencoded';
    for (const headers of [
      { 'content-type': `${form}; charset=koi8-r` },
      { 'content-type': `${form}; charset="UTF-16"` },
      { 'content-type': 'application/json; charset=iso-8859-1' },
      { 'content-type': form, 'content-encoding': 'gzip' },
      { 'content-type': form, 'content-encoding': 'br;q=x' },
    ]) {
      assert.throws(
        () => assertDecodableBody({ ...headers, 'content-length': '7' }),
        { code: 'invalid_request', status: 415 },
        headers['content-type'],
      );
    }
  });

  it('lets UTF-8, identity, other media types and empty bodies through to the endpoint', () => {
    for (const headers of [
      { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '7' },
      { 'content-type': 'application/x-www-form-urlencoded; Charset="utf-8"', 'content-encoding': 'identity', 'content-length': '7' },
      { 'content-type': 'text/plain; charset=koi8-r', 'content-length': '7' },
      { 'content-type': 'application/x-www-form-urlencoded; charset=koi8-r', 'content-length': '0' },
    ]) {
      assert.doesNotThrow(() => assertDecodableBody(headers), headers['content-type']);
    }
  });
});
