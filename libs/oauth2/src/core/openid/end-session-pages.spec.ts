import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PAGE_SETTINGS } from '../pages/page-theme';
import { renderLogoutConfirmation, renderSignedOutPage } from './end-session-pages';

describe('end-session pages (OpenID Connect RP-Initiated Logout 1.0 §2)', () => {
  it('RP-Initiated Logout §2: the confirmation posts every field back and escapes every string it shows', () => {
    const html = renderLogoutConfirmation({
      user: '<b>nate</b>',
      clientName: '"><script>x()</script>',
      action: '/oauth2/logout',
      fields: { state: '"><img src=x>', csrf_token: '1.abc' },
    });
    assert.ok(!html.includes('<script>x()'));
    assert.ok(!html.includes('<b>nate'));
    assert.ok(!html.includes('"><img'));
    assert.match(html, /<form method="post" action="\/oauth2\/logout">/);
    assert.match(html, /<input type="hidden" name="state" value="&#34;&#62;&#60;img src=x&#62;">/);
    assert.match(html, /<input type="hidden" name="csrf_token" value="1.abc">/);
    assert.match(html, /<button type="submit" class="primary" name="logout" value="yes">Sign out<\/button>/);
    assert.doesNotMatch(html, /<script/);
  });

  it('names the service when it has a product name, and says "a site" for an unknown client', () => {
    const settings = { ...DEFAULT_PAGE_SETTINGS, productName: 'SHIFT' };
    const html = renderLogoutConfirmation({ user: 'nate', action: '/logout', fields: {} }, settings);
    assert.match(html, /A site asks you to sign out of SHIFT\./);
    assert.match(renderSignedOutPage(settings), /You are signed out of SHIFT\./);
  });
});
