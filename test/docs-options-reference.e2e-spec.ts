import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The configuration reference is written by hand, so an option added to the module's interfaces
// without a row there would be an option nobody can find.
const root = join(__dirname, '..', '..');
const source = readFileSync(join(root, 'libs/oauth2/src/oauth-module-options.interface.ts'), 'utf8');
const reference = readFileSync(join(root, 'docs/reference/options.md'), 'utf8');

/** The property names of one exported interface, as declared at its top level. */
function keysOf(name: string): string[] {
  const body = new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`).exec(source);
  assert.ok(body, `${name} is declared in oauth-module-options.interface.ts`);
  return [...body[1].matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]);
}

/** The options that have a row of their own in a table of the reference (Prettier pads the cells). */
const rows = new Set([...reference.matchAll(/^\| `([\w.]+)` +\|/gm)].map((m) => m[1]));

describe('docs/reference/options.md', () => {
  for (const name of ['OAuthModuleOptions', 'OAuthModuleExtras']) {
    it(`has a row for every key of ${name}`, () => {
      const keys = keysOf(name);
      assert.ok(keys.length > 5, `found the keys of ${name}`);
      const missing = keys.filter((key) => !rows.has(key) && ![...rows].some((row) => row.startsWith(`${key}.`)));
      assert.deepEqual(missing, [], `options without a row in docs/reference/options.md: ${missing.join(', ')}`);
    });
  }

  it('has no row for an option the module does not have', () => {
    const known = new Set([...keysOf('OAuthModuleOptions'), ...keysOf('OAuthModuleExtras')]);
    const unknown = [...rows].filter((row) => !known.has(row.split('.')[0]));
    assert.deepEqual(unknown, []);
  });
});
