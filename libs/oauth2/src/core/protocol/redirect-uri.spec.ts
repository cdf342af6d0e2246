import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLoopbackHost, isRedirectUriRegistered, redirectUriProblem } from './redirect-uri';

describe('loopback hosts (RFC 8252 §7.3, RFC 9700 §4.1.1)', () => {
  it('knows localhost, 127.0.0.1 and [::1] as URL.hostname spells them, in any case (RFC 8252 §7.3, §8.3)', () => {
    for (const url of [
      'http://localhost:3000/cb',
      'http://LOCALHOST/',
      'http://127.0.0.1:8080/',
      'http://[::1]:9000/',
      'http://[0:0:0:0:0:0:0:1]/',
    ])
      assert.ok(isLoopbackHost(new URL(url).hostname), url);
    assert.ok(isLoopbackHost('LocalHost'));
  });

  it('refuses other hosts, look-alikes and names that merely contain a loopback name (RFC 8252 §7.3)', () => {
    for (const host of ['example.com', 'localhost.example.com', '::1', '[::2]', '0.0.0.0', 'local-host', ''])
      assert.equal(isLoopbackHost(host), false, host);
  });
});

describe('redirect URI registration rules', () => {
  it('refuses a redirect URI containing whitespace or a control character (RFC 3986 §2, RFC 6749 §3.1.2)', () => {
    for (const uri of [
      'https://app.example/cb http://evil.example/steal',
      'https://app.example/cb\thttp://evil.example/steal',
      'https://app.example/cb\nhttp://evil.example/steal',
      'https://app.example/cb\u00a0x',
      'https://app.example/cb\u2028',
      'https://app.example/c\u0000b',
      'https://app.example/c\u007fb',
      ' https://app.example/cb',
      'https://app.example/cb ',
    ]) {
      assert.match(redirectUriProblem(uri, 'web') ?? '', /whitespace or control characters/, JSON.stringify(uri));
      assert.match(redirectUriProblem(uri, 'native') ?? '', /whitespace or control characters/, JSON.stringify(uri));
    }
  });

  it('refuses a redirect URI that is not written the way a URL parser writes it back (exact matching, RFC 9700 §4.1.3)', () => {
    for (const uri of [
      'HTTPS://app.example/cb',
      'https://APP.example/cb',
      'https://app.example:443/cb',
      'https://app.example',
      'https://app.example/a/../cb',
      'https://app.example/c<b',
      'https://app.example/?a="x"',
      'https:app.example/cb',
      'https://app.example\\cb',
      'http://127.1/cb',
    ]) {
      assert.match(redirectUriProblem(uri, 'web') ?? '', /canonical form/, uri);
    }
    assert.equal(redirectUriProblem('https://app.example/', 'web'), undefined);
    assert.equal(redirectUriProblem('https://app.example/c%7Cb?x=1&y=%20', 'web'), undefined);
  });

  it('keeps https, and http on loopback hosts, for every client (RFC 8252 §7.3, RFC 9700 §4.1.1)', () => {
    for (const type of ['web', 'native'] as const) {
      assert.equal(redirectUriProblem('https://app.example/cb', type), undefined);
      assert.equal(redirectUriProblem('http://127.0.0.1:3001/cb', type), undefined);
      assert.equal(redirectUriProblem('http://[::1]/cb', type), undefined);
      assert.equal(redirectUriProblem('http://localhost:3001/cb', type), undefined);
      assert.match(redirectUriProblem('http://app.example/cb', type) ?? '', /must use https/);
    }
  });

  it('allows a private-use URI scheme in reverse-domain form for native clients only (RFC 8252 §7.1, §8.4)', () => {
    assert.equal(redirectUriProblem('com.example.app:/oauth2redirect', 'native'), undefined);
    assert.equal(redirectUriProblem('com.example.app:/cb?x=1', 'native'), undefined);
    assert.match(redirectUriProblem('com.example.app:/cb', 'web') ?? '', /native/);
    // Not reverse-domain: no dot, so it could be any app's (or the browser's) scheme.
    for (const uri of ['myapp:/cb', 'javascript:/cb', 'data:/cb', 'file:///etc/passwd', 'ftp://files.example/cb']) {
      assert.ok(redirectUriProblem(uri, 'native'), uri);
    }
    assert.match(redirectUriProblem('com.example.app:/cb#x', 'native') ?? '', /fragment/);
    assert.match(redirectUriProblem('com.example.app://user@host/cb', 'native') ?? '', /user information/);
  });
});

describe('redirect URI matching', () => {
  const nativeLoopback = ['http://127.0.0.1/cb', 'http://[::1]:8080/cb?tenant=a', 'http://localhost:7000/cb'];

  it('lets a native client use any port on a registered loopback IP redirect URI (RFC 8252 §7.3)', () => {
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://127.0.0.1:51234/cb', 'native'), true);
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://127.0.0.1/cb', 'native'), true);
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://[::1]:51234/cb?tenant=a', 'native'), true);
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://[::1]/cb?tenant=a', 'native'), true);
  });

  it('still matches scheme, host, path and query of a native loopback redirect exactly (RFC 8252 §7.3)', () => {
    for (const uri of [
      'https://127.0.0.1:51234/cb',
      'http://127.0.0.2:51234/cb',
      'http://[::1]:51234/cb',
      'http://127.0.0.1:51234/cb/',
      'http://127.0.0.1:51234/CB',
      'http://127.0.0.1:51234/cb?x=1',
      'http://127.0.0.1:51234/cb#x',
      'http://127.0.0.1:51234/cb ',
      'http://user@127.0.0.1:51234/cb',
      'http://127.0.0.1:80/cb',
      'http://127.0.0.1:051234/cb',
      'http://2130706433:51234/cb',
      'http://[::1]:51234/cb?tenant=b',
      'http://[0:0:0:0:0:0:0:1]:51234/cb?tenant=a',
    ]) {
      assert.equal(isRedirectUriRegistered(nativeLoopback, uri, 'native'), false, uri);
    }
  });

  it('matches localhost only exactly, port included, even for native clients (RFC 8252 §8.3)', () => {
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://localhost:7000/cb', 'native'), true);
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://localhost:7001/cb', 'native'), false);
  });

  it('keeps exact matching, port included, for web clients (RFC 9700 §4.1.3)', () => {
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://127.0.0.1/cb', 'web'), true);
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://127.0.0.1:51234/cb', 'web'), false);
    assert.equal(isRedirectUriRegistered(nativeLoopback, 'http://[::1]:8081/cb?tenant=a', 'web'), false);
  });

  it('matches a private-use scheme redirect exactly (RFC 8252 §7.1)', () => {
    const registered = ['com.example.app:/cb'];
    assert.equal(isRedirectUriRegistered(registered, 'com.example.app:/cb', 'native'), true);
    assert.equal(isRedirectUriRegistered(registered, 'com.example.app:/cb2', 'native'), false);
    assert.equal(isRedirectUriRegistered(registered, 'COM.example.app:/cb', 'native'), false);
    // A web client never uses one, even if a row says so.
    assert.equal(isRedirectUriRegistered(registered, 'com.example.app:/cb', 'web'), false);
  });

  it('never matches a registered URI that the registration rules refuse, such as one stored before they existed (RFC 9700 §4.1.1)', () => {
    const legacy = ['https://app.example/cb', 'http://evil.example/steal'];
    assert.equal(isRedirectUriRegistered(legacy, 'https://app.example/cb', 'web'), true);
    assert.equal(isRedirectUriRegistered(legacy, 'http://evil.example/steal', 'web'), false);
    assert.equal(isRedirectUriRegistered(['https://app.example/cb x'], 'https://app.example/cb x', 'web'), false);
  });
});
