import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, htmlHeaders, renderConsentPage, renderErrorPage } from './html-pages';

describe('built-in HTML pages', () => {
  it('escapes the characters that could open markup or leave an attribute', () => {
    assert.equal(escapeHtml(`<a href="x" onclick='y'>&\``), '&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#96;');
  });
  it('renders every view string as text: client, user, scopes and hidden fields', () => {
    const html = renderConsentPage({
      client: { id: 'c', name: '<script>alert(1)</script>' },
      user: { id: 'u', name: '<b>Nate</b>' },
      scopes: [{ name: 'profile', description: '<img src=x onerror=alert(1)>', alreadyApproved: false }],
      resources: [],
      action: '/oauth2/auth',
      fields: { state: '"><script>', csrf_token: 't' },
    });
    assert.ok(!/<script|<img|<b>/.test(html));
    assert.match(html, /name="decision" value="allow"/);
    assert.match(html, /name="decision" value="deny"/);
    assert.match(html, /<input type="hidden" name="state" value="&#34;&#62;&#60;script&#62;">/);
  });
  it('sets the scopes asked for beyond an earlier approval apart from the ones already allowed (step-up)', () => {
    const view = {
      client: { id: 'c', name: 'App' },
      user: { id: 'u' },
      resources: [],
      action: '/oauth2/auth',
      fields: {},
    };
    const stepUp = renderConsentPage({
      ...view,
      scopes: [
        { name: 'profile', description: 'Read your profile', alreadyApproved: true },
        { name: 'email', description: 'Read your email', alreadyApproved: false },
      ],
    });
    assert.match(stepUp, /<ul class="new"><li><strong>email<\/strong>: Read your email <em>New<\/em><\/li><\/ul>/);
    assert.match(stepUp, /You already allowed:<\/p><ul class="approved"><li><strong>profile<\/strong>/);
    const again = renderConsentPage({ ...view, scopes: [{ name: 'profile', description: 'Read your profile', alreadyApproved: true }] });
    assert.doesNotMatch(again, /class="new"/);
    assert.match(again, /asks again/);
  });
  it('RFC 8707 §2: names each resource the access is for in words, its identifier beside it, escaped like the rest', () => {
    const html = renderConsentPage({
      client: { id: 'c', name: 'App' },
      user: { id: 'u' },
      scopes: [{ name: 'profile', description: 'Read your profile', alreadyApproved: false }],
      resources: [
        { id: 'https://api.shift.example/v1/', name: 'SHIFT <b>API</b>' },
        { id: 'https://files.shift.example/', name: 'https://files.shift.example/' },
      ],
      action: '/oauth2/auth',
      fields: {},
    });
    assert.match(
      html,
      /<p class="resources">At each of: <strong>SHIFT &#60;b&#62;API&#60;\/b&#62;<\/strong> <small>\(https:\/\/api.shift.example\/v1\/\)<\/small>, <strong>https:\/\/files.shift.example\/<\/strong><\/p>/,
    );
    assert.doesNotMatch(html, /<b>API/);
  });
  it('escapes the error page', () => {
    assert.ok(!renderErrorPage('<x>', '<y>').includes('<x>'));
  });
  it('sends anti-framing headers and a strict CSP on built-in pages (RFC 6749 §10.13)', () => {
    const h = htmlHeaders(true);
    assert.match(h['Content-Security-Policy'], /default-src 'none'.*frame-ancestors 'none'/);
    assert.equal(h['X-Frame-Options'], 'DENY');
    assert.match(htmlHeaders(false)['Content-Security-Policy'], /frame-ancestors 'none'/);
  });
});
