import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
/**
 * `<!-- snippet: file#region -->`, or `<!-- snippet: file -->` for the whole file, on the line before a
 * ts fence; inside a list item the marker, the fence and the code share the item's indentation.
 */
const MARKER = /^([ \t]*)<!-- snippet: (\S+?)(?:#([\w-]+))? -->\n\1```ts\n([\s\S]*?)^\1```/gm;
/** Every TypeScript fence, indented (inside a list item) or not, with the line before it. */
const TS_FENCE = /^(.*)\n[ \t]*```(?:ts|typescript|tsx)[ \t]*$/gm;
/** The explicit exception: a line or two that only makes sense inside code the page describes. */
const FRAGMENT = /^[ \t]*<!-- fragment -->[ \t]*$/;

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
      for (const [, indent, file, name, indented] of readFileSync(page, 'utf8').matchAll(MARKER)) {
        const code = indented.replace(new RegExp(`^${indent}`, 'gm'), '');
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

  it('every TypeScript block in the docs is a compiled snippet or marked <!-- fragment -->', () => {
    const loose: string[] = [];
    let fragments = 0;
    for (const page of pages()) {
      for (const block of tsBlocks(readFileSync(page, 'utf8'))) {
        if (block.kind === 'fragment') fragments++;
        if (block.kind === 'loose') loose.push(`${relative(ROOT, page)}:${block.line}`);
      }
    }
    assert.deepEqual(loose, [], 'move these blocks into a region of test/examples/*.ts and include them with <!-- snippet: … -->');
    // Fragments are the exception: a page made of them has drifted back to code nobody compiles.
    assert.ok(fragments <= 5, `${fragments} blocks are marked <!-- fragment -->; compile them in test/examples instead`);
  });

  it('tells a loose block from a snippet and a fragment, indented or not', () => {
    const page = [
      'Prose.',
      '```ts',
      'const loose = 1;',
      '```',
      '<!-- snippet: test/examples/x.ts#y -->',
      '```ts',
      '```',
      '- In a list:',
      '  <!-- fragment -->',
      '  ```ts',
      '  app.use(x);',
      '  ```',
      '  ```typescript',
      '  ```',
    ].join('\n');
    assert.deepEqual(tsBlocks(page), [
      { line: 2, kind: 'loose' },
      { line: 6, kind: 'snippet' },
      { line: 10, kind: 'fragment' },
      { line: 13, kind: 'loose' },
    ]);
  });
});

/** Each TypeScript fence of a page: its line, and whether a snippet or fragment marker is right above it. */
function tsBlocks(text: string): { line: number; kind: 'snippet' | 'fragment' | 'loose' }[] {
  return [...text.matchAll(TS_FENCE)].map((fence) => ({
    line: text.slice(0, fence.index).split('\n').length + 1,
    kind: /^[ \t]*<!-- snippet: \S+ -->[ \t]*$/.test(fence[1]) ? 'snippet' : FRAGMENT.test(fence[1]) ? 'fragment' : 'loose',
  }));
}
