import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { announcesFormBody, parseFormBody, readFormBody } from './form-body';

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
});
