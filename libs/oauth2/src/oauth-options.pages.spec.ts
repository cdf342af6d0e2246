import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OAuthModuleOptions, OAuthPagesOptions } from './oauth-module-options.interface';
import { OAuthConfigurationError, resolveOAuthOptions } from './oauth-options';

const valid: OAuthModuleOptions = { issuer: 'https://shift.com', scopes: { profile: 'Read your profile' } };

/** The problem lines `pages` is refused with (fails the test when they are accepted). */
function problems(pages: unknown): string[] {
  try {
    resolveOAuthOptions({ ...valid, pages: pages as OAuthPagesOptions });
  } catch (error) {
    assert.ok(error instanceof OAuthConfigurationError);
    return error.problems;
  }
  assert.fail(`accepted ${JSON.stringify(pages)}`);
}

describe('resolveOAuthOptions: pages', () => {
  it('defaults to no product name, no logo and the built-in themes', () => {
    assert.deepEqual(resolveOAuthOptions(valid).pages, { theme: {}, darkTheme: {}, productName: undefined, logoUrl: undefined });
  });

  it('accepts hex, functional and keyword colours, a length and a font stack', () => {
    const pages = resolveOAuthOptions({
      ...valid,
      pages: {
        theme: {
          accent: '#4f46e5',
          accentText: 'white',
          bg: 'rgb(246 247 249)',
          text: 'hsl(220 15% 10%)',
          radius: '0.5rem',
          font: '"Inter", system-ui, sans-serif',
        },
        darkTheme: { accent: 'oklch(0.8 0.1 270)' },
        productName: 'SHIFT',
        logoUrl: 'https://cdn.shift.example/logo.svg',
      },
    }).pages;
    assert.equal(pages.theme.accent, '#4f46e5');
    assert.equal(pages.darkTheme.accent, 'oklch(0.8 0.1 270)');
    assert.ok(Object.isFrozen(pages.theme));
  });

  it('refuses values that could leave their declaration and inject rules into the style sheet', () => {
    for (const accent of ['red;}body{display:none', '#fff</style><script>', 'url(https://evil.example/x)', 'red !important', '']) {
      assert.match(problems({ theme: { accent } }).join('\n'), /^pages\.theme\.accent: must be a CSS colour/, accent);
    }
    assert.match(problems({ darkTheme: { bg: 'expression(alert(1))' } })[0], /^pages\.darkTheme\.bg: must be a CSS colour/);
    assert.match(problems({ theme: { radius: '1px;color:red' } })[0], /^pages\.theme\.radius: must be a CSS length/);
    assert.match(problems({ theme: { font: 'Arial;}*{color:red' } })[0], /^pages\.theme\.font: must be a font stack/);
  });

  it('refuses unknown theme keys, so neither a typo nor an extra property passes silently', () => {
    assert.deepEqual(problems({ theme: { acent: '#fff' } }), [
      'pages.theme: has unknown keys acent (known: accent, accentText, bg, surface, text, muted, border, radius, font)',
    ]);
  });

  it('takes the logo from an https URL only, and a short product name', () => {
    assert.match(problems({ logoUrl: 'http://cdn.shift.example/logo.svg' })[0], /^pages\.logoUrl: must be an https URL/);
    assert.match(problems({ logoUrl: 'javascript:alert(1)' })[0], /^pages\.logoUrl: must be an https URL/);
    assert.match(problems({ productName: 'x'.repeat(81) })[0], /^pages\.productName: must be at most 80 characters/);
    assert.match(problems({ productName: '' })[0], /^pages\.productName: must not be empty/);
  });
});
