import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, htmlHeaders, htmlResponse, renderConsentPage, renderErrorPage } from './html-pages';
import type { ClientRegistrationKind } from '../stores/models';

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
      registration: 'operator' as const,
      action: '/oauth2/auth',
      fields: { state: '"><script>', csrf_token: 't' },
    });
    assert.ok(!/<script|<img|<b>/.test(html));
    assert.match(html, /name="decision" value="allow"/);
    assert.match(html, /name="decision" value="deny"/);
    assert.match(html, /<input type="hidden" name="state" value="&#34;&#62;&#60;script&#62;">/);
  });
  it('names the host of a client known only by URL, and warns when its redirect URIs are all loopback (draft-ietf-oauth-client-id-metadata-document §7)', () => {
    const view = {
      client: { id: 'https://agent.example/client.json', name: 'SHIFT Official <App>' },
      user: { id: 'u' },
      scopes: [],
      resources: [],
      registration: 'url' as const,
      action: '/oauth2/auth',
      fields: {},
    };
    const native = renderConsentPage({ ...view, clientIdHost: 'agent.example<x>', loopbackOnly: true });
    assert.match(native, /Identified by its web address: <strong>agent\.example&#60;x&#62;<\/strong>/);
    assert.match(native, /class="warning"/);
    const web = renderConsentPage({ ...view, clientIdHost: 'agent.example', loopbackOnly: false });
    assert.match(web, /agent\.example/);
    assert.doesNotMatch(web, /class="warning"/);
    // A registered native client: no host line, no warning (its operators vouch for it).
    const registered = renderConsentPage({ ...view, registration: 'operator', loopbackOnly: true });
    assert.doesNotMatch(registered, /Identified by its web address|class="warning"/);
  });
  it('sets the scopes asked for beyond an earlier approval apart from the ones already allowed (step-up)', () => {
    const view = {
      client: { id: 'c', name: 'App' },
      user: { id: 'u' },
      resources: [],
      registration: 'operator' as const,
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
    assert.match(
      stepUp,
      /<ul class="scopes new"><li><span class="scope">Read your email<\/span> <em class="badge">New<\/em> <code>email<\/code><\/li><\/ul>/,
    );
    assert.match(
      stepUp,
      /You already allowed:<\/p><ul class="scopes approved"><li><span class="scope">Read your profile<\/span> <code>profile<\/code>/,
    );
    const again = renderConsentPage({ ...view, scopes: [{ name: 'profile', description: 'Read your profile', alreadyApproved: true }] });
    assert.doesNotMatch(again, /class="scopes new"/);
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
      registration: 'operator' as const,
      action: '/oauth2/auth',
      fields: {},
    });
    assert.match(
      html,
      /<p class="resources">At each of: <strong>SHIFT &#60;b&#62;API&#60;\/b&#62;<\/strong> <small>\(https:\/\/api.shift.example\/v1\/\)<\/small>, <strong>https:\/\/files.shift.example\/<\/strong><\/p>/,
    );
    assert.doesNotMatch(html, /<b>API/);
  });
  it('escapes the error page, its retry link included', () => {
    const html = renderErrorPage({ status: 400, title: '<x>', message: '<y>', retryUrl: '/oauth2/auth?a="><script>' });
    assert.ok(!/<x>|<y>|<script/.test(html));
    assert.match(html, /<a class="button primary" href="\/oauth2\/auth\?a=&#34;&#62;&#60;script&#62;">Try again<\/a>/);
  });
  it('offers no retry link when the request cannot be started again, only the way back to the application', () => {
    const html = renderErrorPage({ status: 400, title: 'Invalid request', message: 'redirect_uri is not registered' });
    assert.doesNotMatch(html, /<a /);
    assert.match(html, /return to the application/);
  });
  it('RFC 6749 §10.12: both decisions are buttons of the one form, Allow first and primary, Deny secondary', () => {
    const html = renderConsentPage({
      client: { id: 'c', name: 'App' },
      user: { id: 'u' },
      scopes: [{ name: 'profile', description: 'Read your profile', alreadyApproved: false }],
      resources: [],
      registration: 'operator' as const,
      action: '/oauth2/auth',
      fields: {},
    });
    assert.match(
      html,
      /<form method="post" action="\/oauth2\/auth"><div class="actions"><button type="submit" class="primary" name="decision" value="allow">Allow<\/button><button type="submit" class="secondary" name="decision" value="deny">Deny<\/button><\/div><\/form>/,
    );
    assert.match(html, /<main>/);
    assert.doesNotMatch(html, /<script|\son\w+=/i);
  });
  it('names the destination and links "Not you?" only when the host gives a switch-account URL, escaped', () => {
    const view = {
      client: { id: 'c', name: 'App' },
      user: { id: 'u', name: 'Nate' },
      scopes: [],
      resources: [],
      registration: 'operator' as const,
      action: '/oauth2/auth',
      fields: {},
      redirectHost: 'customapp.example',
    };
    assert.match(renderConsentPage(view), /You will be sent back to <strong>customapp.example<\/strong>/);
    assert.doesNotMatch(renderConsentPage(view), /Not you\?/);
    const withSwitch = renderConsentPage({ ...view, switchAccountUrl: '/logout?return_to="x' });
    assert.match(withSwitch, /<a href="\/logout\?return_to=&#34;x">Not you\?<\/a>/);
  });
  it('says who registered the client: only an operator-registered app reads as vetted', () => {
    const view = { client: { id: 'c', name: 'App' }, user: { id: 'u' }, scopes: [], resources: [], action: '/a', fields: {} };
    const notes = {
      operator: /registered by the operators of this service/,
      developer: /registered by an outside developer; this service has not reviewed it/,
      dynamic: /registered itself; nobody at this service has reviewed it/,
      url: /known only by its web address; nobody at this service has reviewed it/,
    } as const;
    for (const [kind, note] of Object.entries(notes) as [ClientRegistrationKind, RegExp][]) {
      const html = renderConsentPage({ ...view, registration: kind });
      assert.match(html, note, kind);
      for (const other of Object.values(notes)) if (other !== note) assert.doesNotMatch(html, other, kind);
    }
  });
  it('puts the theme into the style sheet and the product name and logo on the page', () => {
    const html = renderConsentPage(
      {
        client: { id: 'c', name: 'App' },
        user: { id: 'u' },
        scopes: [],
        resources: [],
        registration: 'operator' as const,
        action: '/a',
        fields: {},
      },
      {
        theme: { accent: '#4f46e5', radius: '4px' },
        darkTheme: { accent: '#c7d2fe' },
        productName: 'SHIFT',
        logoUrl: 'https://cdn.shift.example/logo.svg',
      },
    );
    assert.match(html, /:root\{color-scheme:light dark;--oauth-accent:#4f46e5;[^}]*--oauth-radius:4px/);
    assert.match(html, /@media \(prefers-color-scheme:dark\)\{:root\{--oauth-accent:#c7d2fe;[^}]*--oauth-radius:4px/);
    assert.match(html, /<header class="brand"><img src="https:\/\/cdn.shift.example\/logo.svg" alt=""><span>SHIFT<\/span><\/header>/);
    assert.match(html, /<title>Authorize App – SHIFT<\/title>/);
  });
  it("RFC 7591 §2: shows the client's logo and links its home page, escaped; the error page links back to it", () => {
    const html = renderConsentPage({
      client: { id: 'c', name: 'App', logoUri: 'https://app.example/logo.png?a="b', clientUri: 'https://app.example/' },
      user: { id: 'u' },
      scopes: [],
      resources: [],
      registration: 'operator' as const,
      action: '/a',
      fields: {},
    });
    assert.match(html, /<h1><img class="client-logo" src="https:\/\/app.example\/logo.png\?a=&#34;b" alt="">Authorize/);
    assert.match(html, /<a href="https:\/\/app.example\/">app.example<\/a>/);
    const error = renderErrorPage({
      status: 403,
      title: 'Signed out',
      message: 'Sign in again.',
      retryUrl: '/oauth2/auth?x=1',
      client: { id: 'c', name: '<App>', clientUri: 'https://app.example/' },
    });
    assert.match(error, /Try again<\/a><a class="button secondary" href="https:\/\/app.example\/">Back to &#60;App&#62;<\/a>/);
  });
  it('admits the images of both logos in the CSP, by origin: alone on a built-in page, beside its own on a host page', () => {
    const res = htmlResponse(200, '', true, {}, ['https://cdn.shift.example/l.svg', 'https://app.example/logo.png', undefined]);
    assert.match(res.headers['Content-Security-Policy'] as string, /img-src https:\/\/cdn.shift.example https:\/\/app.example;/);
    const host = htmlResponse(200, '', false, {}, ['https://app.example/logo.png', undefined]);
    assert.equal(
      host.headers['Content-Security-Policy'],
      "default-src 'self'; img-src 'self' https://app.example; base-uri 'none'; frame-ancestors 'none'",
    );
    const plain = htmlResponse(200, '', false, {}, [undefined]);
    assert.equal(plain.headers['Content-Security-Policy'], "default-src 'self'; base-uri 'none'; frame-ancestors 'none'");
  });
  it('sends anti-framing headers and a strict CSP on built-in pages (RFC 6749 §10.13)', () => {
    const h = htmlHeaders(true);
    assert.match(h['Content-Security-Policy'], /default-src 'none'.*frame-ancestors 'none'/);
    assert.equal(h['X-Frame-Options'], 'DENY');
    assert.match(htmlHeaders(false)['Content-Security-Policy'], /frame-ancestors 'none'/);
    assert.doesNotMatch(h['Content-Security-Policy'], /script-src|img-src/);
  });
  it('admits images from the configured logo origin only, and no script', () => {
    const csp = htmlHeaders(true, 'https://cdn.shift.example')['Content-Security-Policy'];
    assert.match(csp, /^default-src 'none'; style-src 'unsafe-inline'; img-src https:\/\/cdn.shift.example; base-uri 'none'/);
    assert.doesNotMatch(csp, /script-src/);
  });
});
