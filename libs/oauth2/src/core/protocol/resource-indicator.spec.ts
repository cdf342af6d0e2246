import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalResourceUri, configuredResourceProblem } from './resource-indicator';

describe('resource indicators (RFC 8707 §2)', () => {
  it('lowercases scheme and host and drops the default port, and changes nothing else', () => {
    assert.equal(canonicalResourceUri('HTTPS://API.Shift.example:443/V1/'), 'https://api.shift.example/V1/');
    assert.equal(canonicalResourceUri('http://LOCALHOST:80/files'), 'http://localhost/files');
    assert.equal(canonicalResourceUri('http://localhost:3002/files'), 'http://localhost:3002/files');
    assert.equal(canonicalResourceUri('https://[::1]:8443'), 'https://[::1]:8443');
    assert.equal(canonicalResourceUri('urn:example:resource'), undefined);
  });
  it('keeps …/v1 and …/v1/ apart: they are two identifiers (RFC 9728 §3.3 compares exactly)', () => {
    assert.notEqual(canonicalResourceUri('https://api.example/v1'), canonicalResourceUri('https://api.example/v1/'));
  });
  it('refuses fragments, user information, relative URIs and whitespace', () => {
    for (const bad of [
      'https://api.example/v1#x',
      'https://u:p@api.example/',
      '/v1',
      'api.example',
      'https://api.example/ v1',
      'https:///v1',
      '',
    ]) {
      assert.equal(canonicalResourceUri(bad), undefined, bad);
    }
  });
  it('configures only canonical https (or loopback http) resources without a query', () => {
    assert.equal(configuredResourceProblem('https://api.example/v1/'), undefined);
    assert.equal(configuredResourceProblem('http://localhost:3002/'), undefined);
    assert.match(configuredResourceProblem('http://api.example/') ?? '', /must use https/);
    assert.match(configuredResourceProblem('https://API.example/') ?? '', /canonical form "https:\/\/api.example\/"/);
    assert.match(configuredResourceProblem('https://api.example/?a=1') ?? '', /must not contain a query/);
    assert.match(configuredResourceProblem('https://api.example/#f') ?? '', /not an absolute URI without a fragment/);
  });
});
