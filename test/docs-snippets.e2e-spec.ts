import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
/** `<!-- snippet: file#region -->`, or `<!-- snippet: file -->` for the whole file, right before a ts fence. */
const MARKER = /<!-- snippet: (\S+?)(?:#([\w-]+))? -->\s*\n```ts\n([\s\S]*?)```/g;

/** README.md and every Markdown page under docs/. */
function pages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (name === 'node_modules' || name.startsWith('.')) return [];
      return statSync(path).isDirectory() ? walk(path) : name.endsWith('.md') ? [path] : [];
    });
  return [join(ROOT, 'README.md'), ...(existsSync(join(ROOT, 'docs')) ? walk(join(ROOT, 'docs')) : [])];
}

/** The lines between `// #region name` and `// #endregion name` of a compiled example file, unindented; the whole file without a name. */
function region(file: string, name: string | undefined): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  if (name === undefined) {
    assert.doesNotMatch(text, /\/\/ #region /, `${file} is shown whole, so it must have no region markers`);
    return text;
  }
  const found = new RegExp(`^[ \\t]*// #region ${name}\\n([\\s\\S]*?)^[ \\t]*// #endregion ${name}$`, 'm').exec(text);
  assert.ok(found, `${file} has no region "${name}"`);
  const lines = found[1].replace(/\n$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

/**
 * A snippet marked `<!-- snippet: test/examples/file.ts#name -->` is the region `name` of that file,
 * which `npm run build` compiles under `strict` and the tests run: the docs cannot drift from code
 * that compiles. The getting-started guide's app is shown file by file (markers without `#name`),
 * and `npm run test:package` also builds it from the page itself into a fresh app.
 */
describe('docs snippets', () => {
  it('every marked snippet is, verbatim, a region of a compiled example file', () => {
    let count = 0;
    for (const page of pages()) {
      for (const [, file, name, code] of readFileSync(page, 'utf8').matchAll(MARKER)) {
        assert.ok(file.startsWith('test/examples/') && file.endsWith('.ts'), `${relative(ROOT, page)}: ${file} is not a compiled example`);
        assert.equal(
          code,
          region(file, name),
          `${relative(ROOT, page)}: the snippet ${file}${name ? `#${name}` : ''} differs from the file`,
        );
        count++;
      }
    }
    assert.ok(count > 0, 'no marked snippet found');
  });
});
